import Logging
import ServiceLifecycle
import SwitchboardConfig
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardStore

/// The configured store and what it needs to run: SQLite opens and migrates its files at once; the
/// PostgreSQL store's pool runs as a service of the application, and its migrations are awaited at start-up.
struct ServerStore {
    let store: any Store
    /// The PostgreSQL pool; nil for SQLite.
    let pool: (any Service)?
    /// Work before the first use: PostgreSQL's migrations.
    let prepare: @Sendable () async throws -> Void

    static func open(
        _ config: SwitchboardConfiguration, writeBackSources: Set<String>, instance: String, logger: Logger
    ) throws -> ServerStore {
        let limits = HistoryLimits(entries: config.memory.historyEntries, characters: config.memory.historyCharacters)
        guard !config.storage.postgres.isEmpty else {
            let store = try SQLiteStore(
                path: config.storage.sqlite, historyLimits: limits, writeBackSources: writeBackSources, logger: logger)
            return ServerStore(store: store, pool: nil, prepare: {})
        }
        let store = try PostgresStore(
            url: config.storage.postgres, historyLimits: limits, writeBackSources: writeBackSources,
            instance: instance, claimSeconds: config.instances.leaseSeconds, logger: logger)
        return ServerStore(store: store, pool: store.service, prepare: { try await store.migrate() })
    }
}
