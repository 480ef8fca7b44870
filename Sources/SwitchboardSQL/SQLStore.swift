import SwitchboardCore
import SwitchboardStore

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

    /// Runs `body` in a read-only transaction: its statements see one committed state.
    func snapshot<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T

    /// Runs `body` in a transaction that changes routing state: one at a time (SQLite's one writer, PostgreSQL's
    /// advisory lock across instances), with the attached engine caught up before it and the routing version
    /// moved on after it when `changed` says it changed anything (see ``RoutingStateCache``; the session records
    /// what changed in ``SQLSession/touched``). A store one process uses does neither.
    func routing<T: Sendable>(
        changed: @escaping @Sendable (T) -> Bool, _ body: (Session) async throws -> T
    ) async throws -> T

    /// Agents were replaced outside the engine (loaded at start-up): in a store several instances share, every
    /// engine rebuilds before it next decides. Called inside ``routing(changed:_:)``.
    func routingStateReplaced(_ session: Session) async throws

    /// Changes of routing state (``RoutingStore/commit(_:now:decide:)``), committed in groups: the store writes
    /// each group in one routing transaction, each change in a savepoint (``SQLRouting/savepoints(_:session:)``).
    var changes: ChangeGroup<@Sendable (Session) async throws -> Void> { get }

    /// How much of a customer's history each handoff carries.
    var historyLimits: HistoryLimits { get }

    /// The sources with write-back: an acceptance of one of their conversations stores a write-back.
    var writeBackSources: Set<String> { get }

    /// Who claims the deliveries and write-backs this store hands out, when several instances share it (see
    /// ``SQLClaimant``); nil for a store one process uses.
    var claimant: SQLClaimant? { get }
}

/// How one instance takes a delivery or a write-back for itself while it sends it.
///
/// Every instance runs the delivery and write-back services. Taking due rows is a claim: one statement
/// locks them (`FOR UPDATE SKIP LOCKED`, so instances claiming at the same moment pass over each other's
/// rows instead of waiting) and writes the claiming instance and the end of the claim into them. Until
/// the claim ends, no other instance takes the row; the claimer itself may take it again, which keeps a
/// single instance's behaviour the one-process store's. Settling the row (sent, retry scheduled, ended) lifts
/// the claim. An instance that dies holding claims delays their rows by at most its claim time
/// (`instances.lease_seconds`, 60 s by default: well over one attempt's time, a delivery's POST timing out
/// after 10 s by default).
public struct SQLClaimant: Sendable {
    /// This instance's name among those sharing the database.
    public var instance: String
    /// How long a claim keeps other instances off a row.
    public var seconds: Double

    public init(instance: String, seconds: Double) {
        self.instance = instance
        self.seconds = seconds
    }
}
