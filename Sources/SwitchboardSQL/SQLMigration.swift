/// A change of the schema written once for both stores, applied after each store's first migrations (kept
/// as they shipped, in `SQLiteMigrations` and `PostgresMigrations`) in the order of ``SQLMigrations/all``,
/// and recorded by name in each store's own bookkeeping (GRDB's on SQLite, `schema_migrations` on PostgreSQL).
public struct SQLMigration: Sendable {
    /// Where the change goes on SQLite, which keeps the inbound log in a file of its own; PostgreSQL has one
    /// database.
    public enum Database: Sendable, Hashable {
        case state
        case inbound
    }

    public var name: String
    public var database: Database
    /// Its statements, one each (PostgreSQL's extended protocol takes one at a time); a statement whose
    /// text is empty in a dialect is not sent to that store.
    public var statements: [SQL]

    public init(_ name: String, in database: Database = .state, statements: [SQL]) {
        self.name = name
        self.database = database
        self.statements = statements
    }

    /// The statements' text for `dialect`, the empty ones left out. Migrations take no parameters.
    public func texts(for dialect: SQLDialect) -> [String] {
        statements.map { $0.rendered(for: dialect).text }.filter { !$0.isEmpty }
    }
}

/// Every schema change written once. Never edit one that has shipped: add the next.
public enum SQLMigrations {
    public static let all: [SQLMigration] = [
        // Claims (SQLClaimant): PostgreSQL has had the columns since its 002_queues_claims; on SQLite they stay
        // empty (one process claims nothing), so settling a row is the same statement on both.
        SQLMigration(
            "014_claims",
            statements: [
                "\(sqlite: "ALTER TABLE deliveries ADD COLUMN claimed_by TEXT", postgres: "")",
                "\(sqlite: "ALTER TABLE deliveries ADD COLUMN claimed_until REAL", postgres: "")",
                "\(sqlite: "ALTER TABLE write_backs ADD COLUMN claimed_by TEXT", postgres: "")",
                "\(sqlite: "ALTER TABLE write_backs ADD COLUMN claimed_until REAL", postgres: "")",
            ]),
    ]
}
