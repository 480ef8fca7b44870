/// A statement written once for both stores: its text, with the values kept apart as parameters.
///
/// Interpolated values become parameters (`?` on SQLite, `$1`, `$2`, … on PostgreSQL); `\(unescaped:)`
/// inserts text; `\(in:)` a parenthesised list of parameters; `\(sqlite:postgres:)` text that differs by
/// dialect; another `SQL` is inserted with its parameters.
public struct SQL: Sendable, ExpressibleByStringInterpolation {
    public enum Part: Sendable {
        case text(String)
        case value(SQLValue)
        case list([SQLValue])
        case dialect(sqlite: String, postgres: String)
    }

    public private(set) var parts: [Part]

    public init(stringLiteral value: String) {
        parts = [.text(value)]
    }

    public init(stringInterpolation: Interpolation) {
        parts = stringInterpolation.parts
    }

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// The text for `dialect`, with its parameters in order.
    public func rendered(for dialect: SQLDialect) -> (text: String, values: [SQLValue]) {
        var text = ""
        var values: [SQLValue] = []
        func placeholder() {
            switch dialect {
            case .sqlite: text += "?"
            case .postgres: text += "$\(values.count)"
            }
        }
        for part in parts {
            switch part {
            case .text(let literal):
                text += literal
            case .value(let value):
                values.append(value)
                placeholder()
            case .list(let list):
                text += "("
                if list.isEmpty { text += "NULL" }
                for (index, value) in list.enumerated() {
                    if index > 0 { text += ", " }
                    values.append(value)
                    placeholder()
                }
                text += ")"
            case .dialect(let sqlite, let postgres):
                text += dialect == .sqlite ? sqlite : postgres
            }
        }
        return (text, values)
    }

    /// `self` followed by `other`.
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(parts: lhs.parts + rhs.parts)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(2 * interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { parts.append(.text(literal)) }
        }

        public mutating func appendInterpolation(_ value: some SQLBindable) {
            parts.append(.value(value.sqlValue))
        }

        public mutating func appendInterpolation(_ value: (some SQLBindable)?) {
            parts.append(.value(value?.sqlValue ?? .null))
        }

        /// Text inserted as it is: a column list, a constant of the code's own. Never a value from outside.
        public mutating func appendInterpolation(unescaped text: String) {
            parts.append(.text(text))
        }

        /// `(p1, p2, …)`: for `IN`; `(NULL)` when empty, which matches nothing.
        public mutating func appendInterpolation(in values: [some SQLBindable]) {
            parts.append(.list(values.map(\.sqlValue)))
        }

        /// Text that differs between the dialects.
        public mutating func appendInterpolation(sqlite: String, postgres: String) {
            parts.append(.dialect(sqlite: sqlite, postgres: postgres))
        }

        public mutating func appendInterpolation(_ sql: SQL) {
            parts.append(contentsOf: sql.parts)
        }
    }
}
