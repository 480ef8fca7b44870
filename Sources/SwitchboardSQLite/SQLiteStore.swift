import Foundation
import GRDB
import Logging
import SwitchboardCore
import SwitchboardSQL
import ServiceLifecycle
import SwitchboardStore

/// The embedded store: SQLite files in WAL mode with `synchronous = FULL`, so that a committed
/// transaction survives a kill -9 and a power cut. `path` holds the state; the inbound log sits
/// beside it (`switchboard.db` → `switchboard.inbound.db`). Inbound appends are group-committed.
public final class SQLiteStore: Store {
    /// Customers, conversations, agents, decisions, deliveries, and the router's cursor.
    let pool: DatabasePool
    /// The state's one writer: every write goes through it, in turn.
    let writer: SQLiteWriter
    /// The append-only inbound log.
    let inbound: DatabasePool
    /// A connection of its own for checkpointing the inbound log, so that copying its WAL into
    /// the database never happens inside a group commit.
    private let inboundCheckpointer: DatabaseQueue
    private let groupCommit: GroupCommit
    /// Reads that see one state across their statements.
    let snapshotReader: SQLiteSnapshotReader
    /// Changes of routing state (``commit(_:now:decide:)``), committed in groups.
    public let changes: ChangeGroup<@Sendable (SQLiteSession) async throws -> Void>
    let logger: Logger
    /// How much of a customer's history each handoff carries.
    public let historyLimits: HistoryLimits
    /// The sources with write-back: an acceptance of one of their conversations stores a write-back.
    public let writeBackSources: Set<String>

    /// Opens (creating if needed) the database at `path`, its inbound log and its directory, and runs the migrations.
    /// - Parameter writeBackSources: the names of the sources with write-back; an acceptance of a conversation
    ///   from one of them stores a write-back in the same transaction.
    public init(
        path: String, historyLimits: HistoryLimits = HistoryLimits(), writeBackSources: Set<String> = [],
        logger: Logger = Logger(label: "switchboard.store")
    ) throws {
        self.historyLimits = historyLimits
        self.writeBackSources = writeBackSources
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        // Acknowledgements come first: when the CPU is saturated (a burst of webhooks), routing runs
        // at a lower priority and catches up afterwards; the events it works from are already durable.
        var stateConfiguration = configuration
        stateConfiguration.qos = .utility
        // The shared store logic's transactions span several accesses to the writer (SQLiteWriter).
        stateConfiguration.allowsUnsafeTransactions = true
        stateConfiguration.prepareDatabase { db in
            // The router's writer walks the conversations', identities' and deliveries' indexes for every event:
            // with SQLite's default 2 MiB of cache, a store past a few hundred MB read them back from the file
            // page by page. Readers keep the default.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -65536") }
        }
        self.pool = try DatabasePool(path: path, configuration: stateConfiguration)
        self.writer = SQLiteWriter(pool: pool)
        // No automatic checkpoints on the inbound log: SQLite would run them in the committing
        // connection, inside a group commit, and every webhook of that group would wait for them
        // (p99 up to 400 ms in `switchboard bench`, 25 ms without). `run()` checkpoints instead.
        var inboundConfiguration = configuration  // preparation functions add up: this one runs after the one above
        inboundConfiguration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        let inboundPath = Self.inboundPath(for: url)
        let inbound = try DatabasePool(path: inboundPath, configuration: inboundConfiguration)
        self.inbound = inbound
        self.groupCommit = GroupCommit(maxGroup: 2048) { events in
            try await inbound.write { db in try events.map { try SQLiteInbound.insert($0, db: db) } }
        }
        let writer = self.writer
        self.changes = ChangeGroup(maxGroup: 256) { works in
            try await writer.transaction { session in try await SQLRouting.savepoints(works, session: session) }
        }
        self.logger = logger
        try SQLiteMigrations.inbound.migrate(inbound)
        try SQLiteMigrations.state.migrate(pool)
        self.inboundCheckpointer = try DatabaseQueue(path: inboundPath, configuration: inboundConfiguration)
        self.snapshotReader = try SQLiteSnapshotReader(path: path, configuration: stateConfiguration)
    }

    /// Migrated when opened: nothing left to do.
    public func prepare() async throws {}

    /// About once a second until shutdown, copies the inbound log's WAL into its database without blocking
    /// appends (a passive checkpoint on a connection of its own), so the WAL stays small.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.checkpoint()
                } catch {
                    self.logger.warning("inbound log checkpoint failed; will retry", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One passive checkpoint of the inbound log.
    package func checkpoint() async throws {
        try await inboundCheckpointer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.passive)
        }
    }

    public func pruneInboundBodies(receivedBefore cutoff: Date, limit: Int) async throws -> Int {
        let routed = try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT position FROM cursors WHERE name = 'router'") ?? 0
        }
        return try await inbound.write { db in
            try db.execute(
                sql: """
                    UPDATE inbound_events SET body = X'' WHERE seq IN (
                        SELECT seq FROM inbound_events WHERE seq <= ? AND received_at < ? AND length(body) > 0
                        ORDER BY seq LIMIT ?)
                    """,
                arguments: [routed, cutoff.timeIntervalSince1970, limit])
            return db.changesCount
        }
    }

    /// Where the inbound log of the store at `url` lives.
    static func inboundPath(for url: URL) -> String {
        let stem = url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : ".\(url.pathExtension)"
        return url.deletingLastPathComponent().appendingPathComponent("\(stem).inbound\(suffix)").path
    }

    /// Names of the migrations applied, in order: the inbound log's, then the state's.
    public func appliedMigrations() throws -> [String] {
        try inbound.read { db in try SQLiteMigrations.inbound.appliedMigrations(db) }
            + pool.read { db in try SQLiteMigrations.state.appliedMigrations(db) }
    }

    /// Closes the databases; later calls fail.
    public func close() throws {
        try inboundCheckpointer.close()
        try snapshotReader.close()
        try inbound.close()
        try pool.close()
    }

    public func append(_ event: InboundEvent) async throws -> AppendOutcome {
        try await groupCommit.append(event)
    }

    public func pendingEvents(limit: Int) async throws -> [PendingEvent] {
        let cursor = try await pool.read { db in try Self.cursor(db) }
        return try await inbound.read { db in try SQLiteInbound.pending(after: cursor, limit: limit, db: db) }
    }

    /// How many inbound events the router has not applied yet.
    public func backlog() async throws -> Int {
        let cursor = try await pool.read { db in try Self.cursor(db) }
        return try await inbound.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound_events WHERE seq > ?", arguments: [cursor]) ?? 0
        }
    }

    /// How many inbound events the log holds.
    public func inboundEventCount() async throws -> Int {
        try await inbound.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound_events") ?? 0 }
    }

    static func cursor(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT position FROM cursors WHERE name = 'router'")) ?? 0
    }
}
