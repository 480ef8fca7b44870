/// The SQL the two stores speak, where it differs. The shared statements are written in what both accept
/// (`ON CONFLICT … DO UPDATE`, `RETURNING`, `IN (…)`, qualified columns in upserts); what remains is here
/// and in ``SQL/Interpolation/appendInterpolation(sqlite:postgres:)``.
public enum SQLDialect: Sendable, Hashable {
    case sqlite
    case postgres

    /// The larger of two expressions: SQLite's scalar `MAX(a, b)`, PostgreSQL's `GREATEST(a, b)`.
    public func greatest(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: "MAX(\(a), \(b))"
        case .postgres: "GREATEST(\(a), \(b))"
        }
    }
}

extension SQL {
    /// The order rows of `alias` were stored in: SQLite's `rowid`, PostgreSQL's `position` column.
    public static func storedOrder(_ alias: String) -> SQL {
        "\(sqlite: "\(alias).rowid", postgres: "\(alias).position")"
    }

    /// Text compared byte by byte, as SQLite compares it: PostgreSQL's `COLLATE "C"` (its default follows
    /// the database's locale). Follows the column it applies to.
    public static var bytewise: SQL {
        "\(sqlite: "", postgres: " COLLATE \"C\"")"
    }
}
