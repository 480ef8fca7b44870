import Foundation
import GRDB
import Logging
import SwitchboardCore

/// The embedded store: one SQLite file in WAL mode, `synchronous = FULL`, so that a committed
/// transaction survives a kill -9 and a power cut. Inbound appends are group-committed.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    private let groupCommit: GroupCommit
    let logger: Logger

    /// Opens (creating if needed) the database at `path` and its directory, and runs the migrations.
    public init(path: String, logger: Logger = Logger(label: "switchboard.store")) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.groupCommit = GroupCommit(writer: pool)
        self.logger = logger
        try SQLiteMigrations.migrator.migrate(pool)
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try SQLiteMigrations.migrator.appliedMigrations(db) }
    }

    /// Closes the database; later calls fail.
    public func close() throws {
        try pool.close()
    }

    public func append(_ event: InboundEvent) async throws -> AppendOutcome {
        try await groupCommit.append(event)
    }

    public func pendingEvents(limit: Int) async throws -> [PendingEvent] {
        try await pool.read { db in
            let cursor = try Self.cursor(db)
            return try SQLiteInbound.pending(after: cursor, limit: limit, db: db)
        }
    }

    static func cursor(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT position FROM cursors WHERE name = 'router'") ?? 0
    }
}
