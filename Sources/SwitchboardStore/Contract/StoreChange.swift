import Foundation
import SwitchboardCore

/// A change an agent or admin asks for, written in the same transaction as the routing it causes.
public enum StoreChange: Sendable {
    case none
    /// An agent's presence.
    case presence(agentId: String, status: Presence)
    /// A new or replaced agent definition.
    case agent(Agent)
    /// The agent's outcome and notes for a conversation they resolve, with what they promised the
    /// customer, if anything. Resolving a follow-up keeps its promise.
    case resolution(conversationId: String, outcome: String, notes: String?, promise: PromiseRequest? = nil)
    /// A note left on a conversation (on transfer).
    case note(conversationId: String, AgentNote)
    /// A change made with a desk token, recorded beside it.
    indirect case byDesk(DeskAction, StoreChange)
}

/// What the routing engine is rebuilt from.
public struct RoutingState: Sendable {
    public var agents: [AgentSnapshot]
    public var open: [OpenConversation]

    public init(agents: [AgentSnapshot], open: [OpenConversation]) {
        self.agents = agents
        self.open = open
    }
}
