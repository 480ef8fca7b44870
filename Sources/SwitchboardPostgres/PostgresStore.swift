import Foundation
import Logging
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
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
    let logger: Logger
    let historyLimits: HistoryLimits
    let writeBackSources: Set<String>
    /// Who this store is among the instances sharing the database: the holder of the deliveries and
    /// write-backs it claims (see ``dueDeliveries(now:limit:)``).
    public let instance: String
    /// How long a claim on a delivery or write-back keeps other instances off it.
    public let claimSeconds: Double
    /// Inbound appends, committed in groups.
    let groupCommit: GroupCommit
    private let runner: Task<Void, Never>
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

    /// Connects to the database `url` names (`postgres://user:password@host:5432/db`, with `?sslmode=require`
    /// for TLS) and applies the migrations it has not seen.
    /// - Parameter instance: this instance's name among those sharing the database; by default the process's
    ///   (``processInstance``). Two stores in one process that must not share their claims need two names.
    /// - Throws: ``StoreError/configuration(_:)`` for a URL that cannot be read; the server's error when it refuses.
    public init(
        url: String, historyLimits: HistoryLimits = HistoryLimits(), writeBackSources: Set<String> = [],
        instance: String? = nil, claimSeconds: Double = 60, logger: Logger
    ) async throws {
        self.claimSeconds = claimSeconds
        let configuration = try PostgresURL.configuration(url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.historyLimits = historyLimits
        self.writeBackSources = writeBackSources
        self.instance = instance ?? Self.processInstance
        // An instance's concurrent appends share transactions, each holding the inbound lock (sequence order).
        self.groupCommit = GroupCommit(maxGroup: 512) { events in
            try await PostgresTransaction.run(client, holding: .inbound, logger: logger) { connection in
                var outcomes: [AppendOutcome] = []
                for event in events {
                    outcomes.append(try await PostgresInbound.insert(event, connection: connection, logger: logger))
                }
                return outcomes
            }
        }
        self.runner = Task { await client.run() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.migrate() }
                group.addTask {
                    try await Task.sleep(for: Self.connectTimeout)
                    throw StoreError.configuration(
                            "cannot reach PostgreSQL at \(PostgresURL.summary(url)) within \(Self.connectTimeout): check storage.postgres, and that the server runs and accepts this user")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// How long start-up waits for the database before it gives up with an error naming it.
    static let connectTimeout = Duration.seconds(20)

    deinit {
        runner.cancel()
    }

    /// Stops the connection pool.
    public func close() {
        runner.cancel()
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await client.withConnection { connection in
            var names: [String] = []
            for try await name in try await connection.query(
                "SELECT name FROM schema_migrations ORDER BY name", logger: logger
            ).decode(String.self) {
                names.append(name)
            }
            return names
        }
    }

    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Lock.migrations.rawValue))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)",
                logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger)
                .decode(String.self)
            {
                applied.insert(name)
            }
            for migration in PostgresMigrations.all where !applied.contains(migration.name) {
                // One statement per query: the extended protocol takes no more.
                for statement in Self.statements(of: migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(Date().timeIntervalSince1970))",
                    logger: logger)
                logger.info("postgres migration applied", metadata: ["migration": "\(migration.name)"])
            }
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
    ///   back; a `PostgresTransactionError` when the transaction itself failed to begin or commit.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresTransaction.run(client, holding: .state, logger: logger, body)
    }

    /// Runs `body` on a connection, outside any transaction: for reads.
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection) }
    }
}

/// Reads `postgres://user:password@host:port/database?sslmode=…` into a client configuration.
enum PostgresURL {
    /// `host:port/database`, without the credentials: for messages.
    static func summary(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "the configured URL" }
        return "\(host):\(components.port ?? 5432)\(components.path)"
    }

    static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError.configuration("storage.postgres must be a URL like postgres://user:password@host:5432/db")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.configuration("storage.postgres names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.configuration("storage.postgres names no user")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw StoreError.configuration("storage.postgres names no database") }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw StoreError.configuration("storage.postgres sslmode must be disable, prefer or require, found \(mode)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database, tls: tls)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 20
        return configuration
    }
}
