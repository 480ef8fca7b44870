import Foundation
import Logging
import NIOCore
import PostgresNIO
import SwitchboardSQL

/// Statements of the shared store logic on PostgreSQL: on one connection, inside the transaction the store
/// began (or none). Parameters are bound in PostgreSQL's binary format; rows are read to the end.
public struct PostgresSQLSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger

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
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
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
            let text = try cell.decode(String.self)
            if let int = Int64(text) { return .integer(int) }
            return .real(Double(text) ?? .nan)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            return .blob(Array(buffer.readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }
}

extension PostgresStore: SQLStore {
    public func reading<T: Sendable>(_ body: (PostgresSQLSession) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(PostgresSQLSession(connection: connection, logger: logger))
        }
    }

    public func transaction<T: Sendable>(_ body: (PostgresSQLSession) async throws -> T) async throws -> T {
        try await PostgresTransaction.run(client, holding: nil, logger: logger) { connection in
            try await body(PostgresSQLSession(connection: connection, logger: logger))
        }
    }
}
