import Foundation
import Logging
import PostgresNIO
import SwitchboardCore
import SwitchboardSQL
import SwitchboardStore
import ServiceLifecycle
import Synchronization

/// The store on PostgreSQL, for several instances sharing one database (`storage: {postgres: "postgres://…"}`).
///
/// It keeps the SQLite store's guarantees across processes with PostgreSQL's own means:
/// - Every change of routing state runs in a transaction that first takes one transaction-scoped
///   advisory lock (``Lock/state``): the single writer SQLite has in one process, for all instances.
/// - Inbound appends take their own lock (``Lock/inbound``), so that the log's sequence numbers commit
///   in order and the router never passes over an event still being written.
/// - Work that one instance must do alone is claimed row by row (`FOR UPDATE SKIP LOCKED`) or by lease.
public final class PostgresStore: Store, @unchecked Sendable {
    let client: PostgresClient
    /// The inbound appends' own connections: routing work waiting for its lock holds connections of `client`,
    /// and must not keep a webhook's acknowledgement waiting for one (as SQLite's inbound log has a writer of its own).
    let inboundClient: PostgresClient
    let logger: Logger
    public let historyLimits: HistoryLimits
    public let writeBackSources: Set<String>
    /// Who this store is among the instances sharing the database: the holder of the deliveries and
    /// write-backs it claims (see ``dueDeliveries(now:limit:)``).
    public let instance: String
    /// How long a claim on a delivery or write-back keeps other instances off it.
    public let claimSeconds: Double
    /// Inbound appends, committed in groups.
    let groupCommit: GroupCommit
    /// Changes of routing state (``commit(_:now:decide:)``), committed in groups, each in a savepoint.
    /// Set once, at the end of `init` (it writes through `routing`, a method of the store).
    private var changeGroup: ChangeGroup<@Sendable (PostgresSQLSession) async throws -> Void>!
    public var changes: ChangeGroup<@Sendable (PostgresSQLSession) async throws -> Void> { changeGroup }
    let url: PostgresURL
    /// The pool's task when the store runs it itself (``open(url:historyLimits:writeBackSources:instance:claimSeconds:logger:)``).
    private let ownRunner = Mutex<Task<Void, Never>?>(nil)
    /// The router's engine of this process, kept in step with the other instances' changes.
    let routingCache = Mutex(WeakRoutingCache())

    /// The advisory locks, by purpose.
    enum Lock: Int64 {
        /// Routing state: customers, conversations, assignments, deliveries, promises, routing tables.
        case state = 7_300_001
        /// The inbound log's sequence.
        case inbound = 7_300_002
        /// Migrations, while they are applied.
        case migrations = 7_300_003
    }

    /// A store on the database `url` names (`postgres://user:password@host:5432/db`, with `?sslmode=require`
    /// for TLS). Nothing is connected yet: run ``service`` (the connection pool) in the service group and
    /// await ``migrate()`` before the first use. ``open(url:historyLimits:writeBackSources:instance:claimSeconds:logger:)``
    /// does both, for a store used outside a service group.
    /// - Parameter instance: this instance's name among those sharing the database; by default the process's
    ///   (``processInstance``). Two stores in one process that must not share their claims need two names.
    /// - Throws: ``StoreError/configuration(_:)`` for a URL that cannot be read.
    public init(
        url: String, historyLimits: HistoryLimits = HistoryLimits(), writeBackSources: Set<String> = [],
        instance: String? = nil, claimSeconds: Double = 60, logger: Logger
    ) throws {
        self.url = try PostgresURL(url)
        self.claimSeconds = claimSeconds
        let client = PostgresClient(
            configuration: self.url.clientConfiguration(maximumConnections: 20), backgroundLogger: logger)
        self.client = client
        // One group of appends commits at a time (they hold the inbound lock); the second connection is for a
        // group waiting to start.
        let inboundClient = PostgresClient(
            configuration: self.url.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
        self.inboundClient = inboundClient
        self.logger = logger
        self.historyLimits = historyLimits
        self.writeBackSources = writeBackSources
        self.instance = instance ?? Self.processInstance
        // An instance's concurrent appends share transactions, each holding the inbound lock (sequence order).
        self.groupCommit = GroupCommit(maxGroup: 512) { events in
            try await PostgresTransaction.run(inboundClient, holding: .inbound, logger: logger) { connection in
                var outcomes: [AppendOutcome] = []
                for event in events {
                    outcomes.append(try await PostgresInbound.insert(event, connection: connection, logger: logger))
                }
                return outcomes
            }
        }
        self.changeGroup = ChangeGroup(maxGroup: 256) { [unowned self] works in
            try await routing(changed: { _ in true }) { session in try await SQLRouting.savepoints(works, session: session) }
        }
    }

    /// Runs the connection pools until shutdown: queries wait until they run, and they close on shutdown.
    public func run() async throws {
        await PostgresPools(clients: [client, inboundClient]).run()
    }

    /// Applies the migrations (``migrate()``).
    public func prepare() async throws {
        try await migrate()
    }

    /// A store whose pool runs in a task of its own, migrated: for tests and one-off commands
    /// (`switchboard migrate`), which have no service group. ``close()`` stops the pool.
    package static func open(
        url: String, historyLimits: HistoryLimits = HistoryLimits(), writeBackSources: Set<String> = [],
        instance: String? = nil, claimSeconds: Double = 60, logger: Logger
    ) async throws -> PostgresStore {
        let store = try PostgresStore(
            url: url, historyLimits: historyLimits, writeBackSources: writeBackSources, instance: instance,
            claimSeconds: claimSeconds, logger: logger)
        try await store.migrate()
        let pools = PostgresPools(clients: [store.client, store.inboundClient])
        store.ownRunner.withLock { $0 = Task { await pools.run() } }
        return store
    }

    deinit {
        ownRunner.withLock { $0?.cancel() }
    }

    /// Stops the pool of a store made by ``open(url:historyLimits:writeBackSources:instance:claimSeconds:logger:)``.
    package func close() {
        ownRunner.withLock { $0?.cancel() }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await client.withConnection { connection in
            var names: [String] = []
            for try await name in try await connection.checkedQuery(
                "SELECT name FROM schema_migrations ORDER BY name", logger: logger
            ).decode(String.self) {
                names.append(name)
            }
            return names
        }
    }

    /// Applies the migrations this database has not seen, under an advisory lock (instances starting
    /// together apply each once), over a connection of its own: an unreachable server, a refused login
    /// or a missing database fails here at once, named, rather than as queries that wait for the pool.
    /// - Throws: ``StoreError/configuration(_:)`` naming the server and what it answered.
    public func migrate() async throws {
        let connection = try await url.connect(logger: logger)
        do {
            try await connection.checkedQuery("BEGIN", logger: logger)
            try await applyMigrations(connection)
            try await connection.checkedQuery("COMMIT", logger: logger)
            try await connection.close()
        } catch {
            // Closing rolls back what was begun.
            try? await connection.close()
            throw error
        }
    }

    private func applyMigrations(_ connection: PostgresConnection) async throws {
        try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(Lock.migrations.rawValue))", logger: logger)
        try await connection.checkedQuery(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)",
            logger: logger)
        var applied = Set<String>()
        for try await name in try await connection.checkedQuery("SELECT name FROM schema_migrations", logger: logger)
            .decode(String.self)
        {
            applied.insert(name)
        }
        let shared = SQLMigrations.all.map { (name: $0.name, statements: $0.texts(for: .postgres)) }
        let own = PostgresMigrations.all.map { (name: $0.name, statements: Self.statements(of: $0.sql)) }
        for migration in own + shared where !applied.contains(migration.name) {
            // One statement per query: the extended protocol takes no more.
            for statement in migration.statements {
                try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.checkedQuery(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(Date().timeIntervalSince1970))",
                logger: logger)
            logger.info("postgres migration applied", metadata: ["migration": "\(migration.name)"])
        }
    }

    /// The statements of a migration: each ends with `;` at the end of a line.
    static func statements(of sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }

    // MARK: transactions

    /// Runs `body` in a transaction holding the routing-state lock: one such transaction at a time, across
    /// every instance.
    /// - Throws: what `body` throws, as it threw it (a refusal, a conflict), once the transaction is rolled
    ///   back; the server's error when the transaction itself failed to begin or commit, and
    ///   `StoreError.unavailable` when its connection closed.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresTransaction.run(client, holding: .state, logger: logger, body)
    }

    /// Runs `body` on a connection, outside any transaction: for reads.
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection) }
    }
}

