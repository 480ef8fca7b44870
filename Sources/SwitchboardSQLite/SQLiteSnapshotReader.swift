import GRDB
import SwitchboardStore

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
