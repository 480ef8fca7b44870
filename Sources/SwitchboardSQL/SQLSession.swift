import SwitchboardStore

/// What the shared store logic runs its statements on: a connection of either database, inside whatever
/// transaction the store began. The adapters (SQLite on GRDB, PostgreSQL on PostgresNIO) implement it.
public protocol SQLSession: Sendable {
    var dialect: SQLDialect { get }

    /// In a routing transaction of a store several instances share: the conversations and agents it changes,
    /// recorded with the version it commits (``RoutingStateCache``); nil otherwise.
    var touched: RoutingTouches? { get }

    /// Runs a statement, reading any rows it returns to the end (an error the server reports after the
    /// first row is not lost).
    func execute(_ sql: SQL) async throws

    /// Every row the statement returns.
    func rows(_ sql: SQL) async throws -> [SQLRow]
}

extension SQLSession {
    public var touched: RoutingTouches? { nil }

    /// Every row, read in column order as the given types.
    public func rows<each Column: SQLDecodable>(
        _ sql: SQL, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        try await rows(sql).map { try $0.decode(types) }
    }

    /// The first row, read as the given types; nil when there is none.
    public func row<each Column: SQLDecodable>(
        _ sql: SQL, as types: (repeat each Column).Type
    ) async throws -> (repeat each Column)? {
        try await rows(sql).first.map { try $0.decode(types) }
    }

    /// The first column of every row.
    public func column<Value: SQLDecodable>(_ sql: SQL, as type: Value.Type) async throws -> [Value] {
        try await rows(sql).map { try $0.decode(0, as: type) }
    }

    /// The first column of the first row; nil when there is no row (or the value is NULL, for an optional `Value`).
    public func value<Value: SQLDecodable>(_ sql: SQL, as type: Value.Type) async throws -> Value? {
        try await rows(sql).first.map { try $0.decode(0, as: type) }
    }
}
