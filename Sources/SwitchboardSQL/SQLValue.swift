import Foundation

/// A parameter or a column's value, as both databases have them: times are seconds since 1970 (`REAL`,
/// `DOUBLE PRECISION`), bodies bytes (`BLOB`, `BYTEA`).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// A Swift value that goes into a statement as a parameter.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// A Swift value read from a column. Throws ``SQLDecodingError`` when the column holds something else.
public protocol SQLDecodable {
    init(sqlValue: SQLValue) throws
}

/// A column's value is not of the type the code reads it as.
public struct SQLDecodingError: Error, CustomStringConvertible {
    public var value: SQLValue
    public var type: String

    public var description: String { "cannot read \(value) as \(type)" }
}

extension String: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .text(self) }

    public init(sqlValue: SQLValue) throws {
        guard case .text(let text) = sqlValue else { throw SQLDecodingError(value: sqlValue, type: "String") }
        self = text
    }
}

extension Int64: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self) }

    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value && abs(value) < 9.2e18: self = Int64(value)
        default: throw SQLDecodingError(value: sqlValue, type: "Int64")
        }
    }
}

extension Int: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }

    public init(sqlValue: SQLValue) throws {
        self = Int(try Int64(sqlValue: sqlValue))
    }
}

extension Double: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .real(self) }

    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw SQLDecodingError(value: sqlValue, type: "Double")
        }
    }
}

extension Bool: SQLBindable, SQLDecodable {
    /// Stored as 0 and 1, in `INTEGER` columns on both databases.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }

    public init(sqlValue: SQLValue) throws {
        self = try Int64(sqlValue: sqlValue) != 0
    }
}

/// Times are seconds since 1970.
extension Date: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .real(timeIntervalSince1970) }

    public init(sqlValue: SQLValue) throws {
        self = Date(timeIntervalSince1970: try Double(sqlValue: sqlValue))
    }
}

extension Data: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .blob(self) }

    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .blob(let data): self = data
        case .text(let text): self = Data(text.utf8)
        default: throw SQLDecodingError(value: sqlValue, type: "Data")
        }
    }
}

extension Array: SQLBindable, SQLDecodable where Element == UInt8 {
    public var sqlValue: SQLValue { .blob(Data(self)) }

    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .blob(let data): self = [UInt8](data)
        case .text(let text): self = Array(text.utf8)
        default: throw SQLDecodingError(value: sqlValue, type: "bytes")
        }
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public init(sqlValue: SQLValue) throws {
        if case .null = sqlValue { self = nil } else { self = try Wrapped(sqlValue: sqlValue) }
    }
}
