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
