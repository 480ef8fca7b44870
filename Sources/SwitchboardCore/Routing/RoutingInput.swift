import Foundation

/// Everything the planner needs to decide what happens to a conversation, gathered by the store in one transaction.
public struct RoutingInput: Sendable {
    public var conversation: Conversation
    public var customer: Customer
    /// The customer's latest message, which facts are computed from.
    public var message: InboundMessage
    /// The conversation so far, oldest first, including `message`.
    public var transcript: [TranscriptMessage]
    /// The customer's other conversations, newest first.
    public var history: [HistoryEntry]
    public var agents: [AgentSnapshot]
    /// The agent of the customer's most recent earlier conversation.
    public var previousAgentId: String?
    /// What prompted this: `new conversation`, `new message`, `agent available`.
    public var trigger: String
    public var now: Date

    public init(
        conversation: Conversation, customer: Customer, message: InboundMessage, transcript: [TranscriptMessage],
        history: [HistoryEntry], agents: [AgentSnapshot], previousAgentId: String?, trigger: String, now: Date
    ) {
        self.conversation = conversation
        self.customer = customer
        self.message = message
        self.transcript = transcript
        self.history = history
        self.agents = agents
        self.previousAgentId = previousAgentId
        self.trigger = trigger
        self.now = now
    }
}

/// What the store should persist for a conversation, decided by the planner.
public enum RoutingPlan: Sendable {
    /// Offer the conversation to an agent: hold their capacity and deliver the packet.
    case assign(Assignment)
    /// Nobody can take it now; keep it waiting.
    case wait(Decision)
    /// The conversation is already held; deliver the new message to its agent.
    case followUp(OutboundDelivery)
}

/// A new assignment of a conversation to an agent.
public struct Assignment: Sendable {
    public var handoffId: String
    public var agentId: String
    public var channel: String
    public var decision: Decision
    public var delivery: OutboundDelivery
}

/// A signed POST to an agent's desk, stored before it is attempted.
public struct OutboundDelivery: Sendable, Hashable {
    /// The `webhook-id` the desk sees; stable across retries so the desk can dedupe.
    public var id: String
    public var agentId: String
    public var handoffId: String
    /// `handoff` or `message`.
    public var kind: String
    public var payload: [UInt8]

    public init(id: String, agentId: String, handoffId: String, kind: String, payload: [UInt8]) {
        self.id = id
        self.agentId = agentId
        self.handoffId = handoffId
        self.kind = kind
        self.payload = payload
    }
}
