import Foundation
import Logging
import SwitchboardPostgres
import SwitchboardStore
import Testing
import TestSupport

/// Start-up on PostgreSQL: migrations are awaited over a connection of their own, so a server that is
/// not there, or a database that does not exist, stops the start at once with what is wrong.
@Suite("PostgreSQL start-up")
struct PostgresStartUpTests {
    @Test("nothing listening: migrate fails at once, naming the server and the refusal, never the password")
    func unreachable() async throws {
        let port = try FreePort.find()
        let store = try PostgresStore(
            url: "postgres://ana:s3cret@127.0.0.1:\(port)/switchboard?sslmode=disable", logger: Logger(label: "test"))
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) { try await store.migrate() }
        // A refusal ends it, not a retry loop (the pool retries for ever); the bound allows for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(30))
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("127.0.0.1:\(port)/switchboard"), "\(message)")
        #expect(message.lowercased().contains("refused"), "\(message)")
        #expect(!message.contains("s3cret"))
    }

    @Test("a database that does not exist: migrate fails with the server's answer")
    func missingDatabase() async throws {
        let cluster = try await PostgresCluster.shared()
        let store = try PostgresStore(url: cluster.url("no_such_database"), logger: Logger(label: "test"))
        let error = await #expect(throws: StoreError.self) { try await store.migrate() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("does not exist"))
    }

    @Test("migrated and run as a service, the store answers; migrating again applies nothing new")
    func migratedThenServed() async throws {
        let url = try await PostgresCluster.shared().database()
        let store = try PostgresStore(url: url, logger: Logger(label: "test"))
        try await store.prepare()
        try await store.prepare()
        let pool = Task { try await store.run() }
        defer { pool.cancel() }
        #expect(try await store.appliedMigrations() == ["001_initial", "002_queues_claims", "003_routing_changes", "004_inbound_unpruned", "005_desk_tokens", "006_admin_sessions", "007_auth_failures", "014_claims"])
    }
}
