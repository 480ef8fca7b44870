import SwitchboardCore

/// An in-memory copy of the routing state (the router's engine) that several processes keep in step
/// through one store.
///
/// Every transaction that changes routing state takes the store's lock and then syncs the copy: when
/// the store's routing version is not the one the copy was built from, another process changed the
/// state. The copy then catches up on the conversations and agents the versions since its own touched,
/// read in that same transaction before the engine decides; when the store no longer has every one of
/// those versions' records (agents loaded at an instance's start move the version on without one), it is
/// rebuilt from the whole state instead. When the transaction commits, the version moves on and the copy with it. A store used by
/// one process only (SQLite) never has to do either.
public protocol RoutingStateCache: AnyObject, Sendable {
    /// The routing version the copy reflects; nil before it was built from a versioned store.
    var routingVersion: Int64? { get }

    /// Rebuilds the copy from `state`, read under the store's lock, which is at `version`.
    func rebuild(from state: RoutingState, version: Int64)

    /// Brings the copy up to `version` with the state of the conversations and agents changed since its own
    /// version, read under the store's lock.
    func catchUp(_ changes: RoutingCatchUp, version: Int64)

    /// The copy reflects `version`: the transaction it took part in committed as that version.
    func advance(to version: Int64)
}

/// What changed in the routing state between two versions, as the store has it now.
public struct RoutingCatchUp: Sendable {
    /// The conversations changed: each is restored from `open`, or forgotten when no longer there (resolved).
    public var conversations: Set<String>
    /// The open ones among them.
    public var open: [OpenConversation]
    /// The agents changed, with their load now.
    public var agents: [AgentSnapshot]

    public init(conversations: Set<String>, open: [OpenConversation], agents: [AgentSnapshot]) {
        self.conversations = conversations
        self.open = open
        self.agents = agents
    }
}
