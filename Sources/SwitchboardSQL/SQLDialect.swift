/// The SQL the two stores speak, where it differs. The shared statements are written in what both accept
/// (`ON CONFLICT … DO UPDATE`, `RETURNING`, `IN (…)`, qualified columns in upserts); what remains is written
/// where it differs, with ``SQL/Interpolation/appendInterpolation(sqlite:postgres:)``, ``SQL/storedOrder(_:)``,
/// ``SQL/bytewise``, or a `switch` on the session's dialect.
public enum SQLDialect: Sendable, Hashable {
    case sqlite
    case postgres
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
