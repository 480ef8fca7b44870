import Logging
import SwitchboardConfig
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardStore

extension ServerParts {
    /// The configured store: SQLite opens and migrates its files at once; PostgreSQL connects when its
    /// service runs and migrates in ``Store/prepare()``, awaited at start-up.
    static func openStore(
        _ config: SwitchboardConfiguration, writeBackSources: Set<String>, instance: String, logger: Logger
    ) throws -> any Store {
        let limits = HistoryLimits(entries: config.memory.historyEntries, characters: config.memory.historyCharacters)
        guard !config.storage.postgres.isEmpty else {
            return try SQLiteStore(
                path: config.storage.sqlite, historyLimits: limits, writeBackSources: writeBackSources, logger: logger)
        }
        return try PostgresStore(
            url: config.storage.postgres, historyLimits: limits, writeBackSources: writeBackSources,
            instance: instance, claimSeconds: config.instances.leaseSeconds, logger: logger)
    }
}
