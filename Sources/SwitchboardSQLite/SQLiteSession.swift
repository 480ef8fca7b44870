import Foundation
import GRDB
import SwitchboardSQL
import SwitchboardStore

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
