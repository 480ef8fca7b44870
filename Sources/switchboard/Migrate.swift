import ArgumentParser
import Logging
import SwitchboardConfig
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardStore

/// `switchboard migrate`: apply the configured store's migrations (SQLite, or PostgreSQL when
/// `storage.postgres` is set) and list them.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the store, then exit.")

    @Option(name: .shortAndLong, help: "The configuration file.")
    var config = "Config/switchboard.yaml"

    func run() async throws {
        let settings = try loadConfiguration(config)
        if settings.storage.postgres.isEmpty {
            let store = try SQLiteStore(path: settings.storage.sqlite)
            for name in try store.appliedMigrations() { print("applied \(name)") }
            try store.close()
        } else {
            let store = try await PostgresStore.open(url: settings.storage.postgres, logger: Logger(label: "switchboard.migrate"))
            for name in try await store.appliedMigrations() { print("applied \(name)") }
            store.close()
        }
    }
}
