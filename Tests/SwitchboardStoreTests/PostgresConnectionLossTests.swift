import Foundation
import Logging
import PostgresNIO
@testable import SwitchboardPostgres
import SwitchboardSQL
import SwitchboardStore
import Synchronization
import Testing
import TestSupport

/// A connection that closes in the middle of a transaction (the server restarted, or terminated the
/// backend) fails that transaction at once; it never leaves the caller waiting, and the store goes on
/// with new connections.
@Suite("PostgreSQL connection loss")
struct PostgresConnectionLossTests {
    @Test("the backend terminated mid-transaction: the transaction fails at once as unavailable, the next one works")
    func terminatedMidTransaction() async throws {
        let url = try await PostgresCluster.shared().database()
        let store = try await PostgresStore.open(url: url, logger: Logger(label: "test"))
        defer { store.close() }

        // In an unstructured task, so that a transaction that hangs fails this test instead of stopping the run.
        let outcome = Outcome()
        Task {
            do {
                try await store.write { connection in
                    let pid = try await PostgresSQLSession(connection: connection, logger: Logger(label: "test"))
                        .value("SELECT pg_backend_pid()", as: Int.self) ?? 0
                    try await store.execute(unsafeSQL: "SELECT pg_terminate_backend(\(pid))")
                    let deadline = ContinuousClock.now + .seconds(5)
                    while !connection.isClosed, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
                outcome.set(.success(()))
            } catch {
                outcome.set(.failure(error))
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while outcome.value == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }

        let result = try #require(outcome.value, "the transaction whose connection closed is still waiting after 10 s")
        #expect(throws: StoreError.self) { try result.get() }
        if case .failure(let error) = result, let storeError = error as? StoreError {
            guard case .unavailable(let text) = storeError else {
                Issue.record("expected unavailable, got \(storeError)")
                return
            }
            #expect(text.contains("closed"), "\(text)")
        }
        // A new connection serves the next transaction.
        #expect(try await store.write { connection in
            try await PostgresSQLSession(connection: connection, logger: Logger(label: "test")).value("SELECT 1", as: Int.self)
        } == 1)
    }
}

/// What the transaction's task ended with, once it has.
private final class Outcome: Sendable {
    private let state = Mutex<Result<Void, any Error>?>(nil)

    var value: Result<Void, any Error>? { state.withLock { $0 } }

    func set(_ result: Result<Void, any Error>) { state.withLock { $0 = result } }
}
