import Synchronization
import SwitchboardCore

/// The conversations and agents whose routing state a transaction changed: what another instance reads
/// again to catch its engine up (``RoutingStateCache/catchUp(_:version:)``) instead of rebuilding it.
public struct RoutingTouch: Sendable, Hashable {
    public var conversations: Set<String> = []
    public var agents: Set<String> = []

    public init(conversations: Set<String> = [], agents: Set<String> = []) {
        self.conversations = conversations
        self.agents = agents
    }

    /// What `effects` change: the conversations, and the agents whose load or assignments they move.
    public mutating func record(_ effects: [RoutingEffect]) {
        for effect in effects {
            switch effect {
            case .offer(let offer): touch(offer.conversationId, agent: offer.agentId)
            case .wait(let wait): conversations.insert(wait.conversationId)
            case .followUp(let followUp): conversations.insert(followUp.conversationId)
            case .accept(let acceptance): touch(acceptance.conversationId, agent: acceptance.agentId)
            case .release(let release): touch(release.conversationId, agent: release.agentId)
            }
        }
    }

    /// What `change` changes before the engine decides.
    public mutating func record(_ change: StoreChange) {
        switch change {
        case .none, .note: break
        case .presence(let agentId, _): agents.insert(agentId)
        case .agent(let agent): agents.insert(agent.id)
        case .resolution(let conversationId, _, _, _): conversations.insert(conversationId)
        case .byDesk(_, let inner): record(inner)
        }
    }

    public mutating func formUnion(_ other: RoutingTouch) {
        conversations.formUnion(other.conversations)
        agents.formUnion(other.agents)
    }

    private mutating func touch(_ conversationId: String, agent: String) {
        conversations.insert(conversationId)
        agents.insert(agent)
    }
}

/// A ``RoutingTouch`` that a transaction's steps add to.
public final class RoutingTouches: Sendable {
    private let touch = Mutex(RoutingTouch())

    public init() {}

    public var value: RoutingTouch { touch.withLock { $0 } }

    public func record(_ effects: [RoutingEffect]) { touch.withLock { $0.record(effects) } }
    public func record(_ change: StoreChange) { touch.withLock { $0.record(change) } }
    public func conversation(_ id: String) { touch.withLock { _ = $0.conversations.insert(id) } }
}
