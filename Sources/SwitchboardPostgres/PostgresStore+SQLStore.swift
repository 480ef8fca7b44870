import Foundation
import Logging
import PostgresNIO
import SwitchboardSQL
import SwitchboardStore

/// What the shared store logic runs on: PostgreSQL's sessions and transactions.
extension PostgresStore: SQLStore {
    public func reading<T: Sendable>(_ body: (PostgresSQLSession) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(PostgresSQLSession(connection: connection, logger: logger))
        }
    }

    public func transaction<T: Sendable>(_ body: (PostgresSQLSession) async throws -> T) async throws -> T {
        try await PostgresTransaction.run(client, holding: nil, logger: logger) { connection in
            try await body(PostgresSQLSession(connection: connection, logger: logger))
        }
    }

    /// A read-only transaction with one snapshot of the database (`REPEATABLE READ`).
    public func snapshot<T: Sendable>(_ body: (PostgresSQLSession) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let session = PostgresSQLSession(connection: connection, logger: logger)
            try await session.execute("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let value: T
            do {
                value = try await body(session)
            } catch {
                _ = try? await session.execute("ROLLBACK")
                throw error
            }
            try await session.execute("COMMIT")
            return value
        }
    }

    /// Runs `body` in a transaction holding the routing-state lock (``write(_:)``), with a session.
    func writing<T: Sendable>(_ body: (PostgresSQLSession) async throws -> T) async throws -> T {
        try await write { connection in try await body(PostgresSQLSession(connection: connection, logger: logger)) }
    }

    public func routingStateReplaced(_ session: PostgresSQLSession) async throws {
        _ = try await Self.advanceRoutingVersion(session)
    }

    /// `body` builds the engine from the state read under the lock: the engine then reflects that version.
    public func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws {
        let version = try await writing { session in
            try body(try await SQLRouting.state(session))
            return try await Self.routingVersion(session)
        }
        routingCache.withLock { $0.value }?.advance(to: version)
    }
}
