import Logging
import PostgresNIO
import SwitchboardStore

/// A connection with the logger its queries log to: what the store's helpers take, as the SQLite
/// store's take a `Database`.
///
/// Every query's rows are read to the end, even when none are wanted: an error the server reports
/// after the first row (a constraint violated by an `INSERT … RETURNING`) arrives in the rows, and a
/// transaction that lost it would commit as a silent rollback.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    /// In a routing transaction: the conversations and agents it changes, recorded with the version it commits.
    var touched: RoutingTouches? = nil

    /// Runs a statement; returns how many rows it returned (with `RETURNING`, how many it changed).
    @discardableResult
    func execute(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> Int {
        var count = 0
        for try await _ in try await connection.checkedQuery(query, logger: logger, file: file, line: line) { count += 1 }
        return count
    }

    /// Every row, decoded in column order.
    func rows<each Column: PostgresDecodable>(
        _ query: PostgresQuery, as types: (repeat each Column).Type, file: String = #fileID, line: Int = #line
    ) async throws -> [(repeat each Column)] {
        var rows: [(repeat each Column)] = []
        for try await row in try await connection.checkedQuery(query, logger: logger, file: file, line: line) {
            rows.append(try row.decode(types, file: file, line: line))
        }
        return rows
    }

    /// The first column of every row.
    func column<Value: PostgresDecodable>(
        _ query: PostgresQuery, as type: Value.Type, file: String = #fileID, line: Int = #line
    ) async throws -> [Value] {
        var values: [Value] = []
        for try await row in try await connection.checkedQuery(query, logger: logger, file: file, line: line) {
            values.append(try row.decode(Value.self, file: file, line: line))
        }
        return values
    }

    /// The first row; nil when there is none.
    func row<each Column: PostgresDecodable>(
        _ query: PostgresQuery, as types: (repeat each Column).Type, file: String = #fileID, line: Int = #line
    ) async throws -> (repeat each Column)? {
        try await rows(query, as: types, file: file, line: line).first
    }

    /// The first column of the first row; nil when there is no row (or the value is NULL, for an optional `Value`).
    func value<Value: PostgresDecodable>(
        _ query: PostgresQuery, as type: Value.Type, file: String = #fileID, line: Int = #line
    ) async throws -> Value? {
        try await column(query, as: type, file: file, line: line).first
    }
}

extension PostgresStore {
    /// Runs `body` in a transaction holding the routing-state lock (``write(_:)``), with a session.
    func writing<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await write { connection in try await body(PostgresSession(connection: connection, logger: logger)) }
    }

    /// Runs `body` in a read-only transaction with one snapshot of the database: its queries see the
    /// same committed state, as a read of the SQLite store does.
    func snapshot<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await read { connection in
            let session = PostgresSession(connection: connection, logger: logger)
            try await session.execute("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let value: T
            do {
                value = try await body(session)
            } catch {
                _ = try? await session.execute("ROLLBACK")
                throw error
            }
            try await session.execute("COMMIT")
            return value
        }
    }

    /// Runs `body` with a session outside any transaction: for reads of one query.
    func reading<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await read { connection in try await body(PostgresSession(connection: connection, logger: logger)) }
    }
}
