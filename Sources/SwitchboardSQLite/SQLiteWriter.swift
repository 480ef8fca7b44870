import Foundation
import GRDB
import SwitchboardSQL
import SwitchboardStore

/// The shared logic's statements, not GRDB's type of the same name.
public typealias SQL = SwitchboardSQL.SQL

/// The state database's one writer connection, taken by one transaction at a time through a lock that
/// tasks await: a transaction of the shared store logic keeps it across its awaits, and runs each statement
/// on the caller's thread (GRDB's writer queue is free, so its `sync` does not hop). The commit goes
/// through GRDB's asynchronous write, so its `fsync` waits on the writer's thread, not on a task's.
final class SQLiteWriter: Sendable {
    let pool: DatabasePool
    private let lock = AsyncLock()

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE` … `COMMIT`), rolled back when it throws.
    func transaction<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        await lock.lock()
        defer { lock.unlock() }
        try begin()
        do {
            let value = try await body(SQLiteSession(access: .writer(pool)))
            try await pool.writeWithoutTransaction { db in try db.commit() }
            return value
        } catch {
            rollback()
            throw error
        }
    }

    private func begin() throws {
        try pool.writeWithoutTransaction { db in try db.beginTransaction(.immediate) }
    }

    private func rollback() {
        try? pool.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.rollback() }
        }
    }
}

/// A connection of its own for reads that must see one state across several statements (a handoff's
/// context, the routing state): the shared logic's statements run one by one, so a transaction has to stay
/// open across them, which GRDB's pool readers do not allow. One such read at a time; the pool's readers
/// serve the one-statement reads meanwhile.
final class SQLiteSnapshotReader: Sendable {
    private let queue: DatabaseQueue
    private let lock = AsyncLock()

    init(path: String, configuration: Configuration) throws {
        var configuration = configuration
        configuration.readonly = true
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func snapshot<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        await lock.lock()
        defer { lock.unlock() }
        try queue.inDatabase { db in try db.beginTransaction(.deferred) }
        do {
            let value = try await body(SQLiteSession(access: .snapshot(queue)))
            try queue.inDatabase { db in try db.commit() }
            return value
        } catch {
            try? queue.inDatabase { db in
                if db.isInsideTransaction { try db.rollback() }
            }
            throw error
        }
    }

    func close() throws {
        try queue.close()
    }
}

/// Statements of the shared store logic on SQLite: each one on the writer, inside the transaction its
/// ``SQLiteWriter`` began; on a reader of the pool; or on the snapshot reader, inside its transaction.
public struct SQLiteSession: SQLSession {
    enum Access {
        case reader(DatabasePool)
        case writer(DatabasePool)
        case snapshot(DatabaseQueue)
    }

    let access: Access

    public var dialect: SQLDialect { .sqlite }

    public func execute(_ sql: SQL) async throws {
        try run(sql) { statement, arguments in try statement.execute(arguments: arguments) }
    }

    public func rows(_ sql: SQL) async throws -> [SQLRow] {
        try run(sql) { statement, arguments in
            // A cursor's row reads the statement's columns in place: one copy of each value, into the SQLRow.
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            var rows: [SQLRow] = []
            while let row = try cursor.next() {
                var values: [SQLValue] = []
                values.reserveCapacity(row.count)
                for value in row.databaseValues { values.append(SQLValue(value)) }
                rows.append(SQLRow(values))
            }
            return rows
        }
    }

    /// Synchronous, so that GRDB's synchronous access is the one called.
    private func run<T>(_ sql: SQL, _ body: (Statement, StatementArguments) throws -> T) throws -> T {
        let (text, values) = sql.rendered(for: .sqlite)
        var databaseValues: [DatabaseValue] = []
        databaseValues.reserveCapacity(values.count)
        for value in values { databaseValues.append(value.databaseValue) }
        let arguments = StatementArguments(databaseValues)
        switch access {
        case .writer(let pool):
            return try pool.writeWithoutTransaction { db in try body(db.cachedStatement(sql: text), arguments) }
        case .reader(let pool):
            return try pool.read { db in try body(db.cachedStatement(sql: text), arguments) }
        case .snapshot(let queue):
            return try queue.inDatabase { db in try body(db.cachedStatement(sql: text), arguments) }
        }
    }
}

extension SQLValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let int): self = .integer(int)
        case .double(let double): self = .real(double)
        case .string(let string): self = .text(string)
        case .blob(let data): self = .blob(data)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let int): int.databaseValue
        case .real(let double): double.databaseValue
        case .text(let string): string.databaseValue
        case .blob(let data): data.databaseValue
        }
    }
}

extension SQLiteStore: SQLStore {
    /// One process uses a SQLite store: nothing is claimed.
    public var claimant: SQLClaimant? { nil }

    public func reading<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await body(SQLiteSession(access: .reader(pool)))
    }

    public func transaction<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await writer.transaction(body)
    }

    public func snapshot<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await snapshotReader.snapshot(body)
    }

    /// The one writer: nothing else to take, and no other process to keep in step.
    public func routing<T: Sendable>(
        changed: @escaping @Sendable (T) -> Bool, _ body: (SQLiteSession) async throws -> T
    ) async throws -> T {
        try await writer.transaction(body)
    }

    /// No other process has an engine to rebuild.
    public func routingStateReplaced(_ session: SQLiteSession) async throws {}

    public func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws {
        try await writer.transaction { session in try body(try await SQLRouting.state(session)) }
    }
}
