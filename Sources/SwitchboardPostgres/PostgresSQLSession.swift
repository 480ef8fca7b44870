import Foundation
import Logging
import NIOCore
import PostgresNIO
import SwitchboardSQL
import SwitchboardStore

/// Statements of the shared store logic on PostgreSQL: on one connection, inside the transaction the store
/// began (or none). Parameters are bound in PostgreSQL's binary format; rows are read to the end.
public struct PostgresSQLSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger
    public var touched: RoutingTouches? = nil

    public var dialect: SQLDialect { .postgres }

    public func execute(_ sql: SQL) async throws {
        for try await _ in try await connection.checkedQuery(Self.query(sql), logger: logger) {}
    }

    public func rows(_ sql: SQL) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for try await row in try await connection.checkedQuery(Self.query(sql), logger: logger) {
            var values: [SQLValue] = []
            values.reserveCapacity(row.count)
            for cell in row { values.append(try Self.value(cell)) }
            rows.append(SQLRow(values))
        }
        return rows
    }

    static func query(_ sql: SQL) -> PostgresQuery {
        let (text, values) = sql.rendered(for: .postgres)
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let int): bindings.append(int)
            case .real(let double): bindings.append(double)
            case .text(let string): bindings.append(string)
            case .blob(let data): bindings.append(ByteBuffer(bytes: data))
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    /// A column's value by its type: integers, floating point, `NUMERIC` (as `SUM` gives it), `BOOLEAN` (0 or
    /// 1), `BYTEA`, and text for the rest.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            // SUM over BIGINT: whole numbers, read exactly up to 2^53.
            let number = NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue
            if number.rounded() == number, abs(number) < 9e15 { return .integer(Int64(number)) }
            return .real(number)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            return .blob(Data(buffer.readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// A statement of this store's own (PostgreSQL arrays and the like), its rows decoded as PostgresNIO does.
    func rows<each Column: PostgresDecodable>(
        _ query: PostgresQuery, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        var rows: [(repeat each Column)] = []
        for try await row in try await connection.checkedQuery(query, logger: logger) {
            rows.append(try row.decode(types))
        }
        return rows
    }

    /// A statement of this store's own, its rows read to the end.
    func run(_ query: PostgresQuery) async throws {
        for try await _ in try await connection.checkedQuery(query, logger: logger) {}
    }
}
