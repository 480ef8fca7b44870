/// A store whose logic is written once, in this module, over an ``SQLSession``: the adapters give it
/// sessions and keep their connections, transactions and locks to themselves.
///
/// The logic lives in extensions of this protocol (``SQLStore`` + Access, + Leases, …); a store that
/// conforms to it and to a role of ``SwitchboardStore`` gets that role's methods from them.
public protocol SQLStore: Sendable {
    associatedtype Session: SQLSession

    /// Runs `body` with statements that each run on their own (reads that need no snapshot, single
    /// statements that are atomic by themselves). On SQLite they go to a reader, so `body` writes nothing.
    func reading<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T

    /// Runs `body` in one transaction, committed when it returns and rolled back when it throws. It does not
    /// hold the routing lock (on PostgreSQL); on SQLite it is the one writer, as every write is.
    func transaction<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T
}
