import Foundation

/// What the routing engine decided, for the store to persist in the same transaction as its cause.
public enum RoutingEffect: Sendable {
    /// Offer a conversation to an agent: hold their capacity, record the decision, deliver the handoff.
    case offer(Offer)
    /// The conversation waits for an agent; the decision is recorded when there is one.
    case wait(Wait)
    /// A new message in a conversation an agent holds: deliver it to that agent.
    case followUp(FollowUp)
    /// The agent accepted the offer.
    case accept(Acceptance)
    /// An offer or assignment ended: declined, lapsed, withdrawn, moved or resolved. Capacity is free again.
    case release(Release)
}

/// A conversation offered to an agent.
public struct Offer: Sendable, Hashable {
    public var handoffId: String
    public var conversationId: String
    public var agentId: String
    public var agentName: String
    public var channel: String
    public var route: String
    public var decision: Decision
    /// No answer by then counts as a decline.
    public var deadline: Date
    /// The conversation's hops from agent to agent, this one included.
    public var transfers: Int
    /// When the wait this offer ends began; kept across declines and lapsed offers.
    public var queuedAt: Date
    public var priority: Int
}

/// A conversation that waits.
public struct Wait: Sendable, Hashable {
    public var conversationId: String
    /// Nil when nothing new was decided (it simply keeps waiting).
    public var decision: Decision?
    public var queuedAt: Date
    public var priority: Int
}

/// A message for the agent holding a conversation.
public struct FollowUp: Sendable, Hashable {
    public var conversationId: String
    public var handoffId: String
    public var agentId: String
    public var agentName: String
    public var message: InboundMessage
}

/// An accepted offer, with the time the customer waited for a person.
public struct Acceptance: Sendable, Hashable {
    public var handoffId: String
    public var conversationId: String
    public var agentId: String
    public var route: String?
    public var at: Date
    /// From the start of the wait to the acceptance.
    public var timeToAgent: Double
}

/// An offer or assignment that ended.
public struct Release: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// The agent declined, with their reason.
        case declined(String)
        /// The agent did not answer within the offer timeout.
        case lapsed
        /// The agent went away or offline before accepting.
        case withdrawn
        /// The conversation moved to another agent (escalation or transfer).
        case moved
        /// The agent resolved the conversation.
        case resolved

        /// The status stored for the assignment.
        public var status: AssignmentStatus {
            switch self {
            case .declined: .declined
            case .lapsed: .lapsed
            case .withdrawn: .withdrawn
            case .moved: .moved
            case .resolved: .resolved
            }
        }

        /// Whether the agent is never offered this conversation again.
        public var excludesAgent: Bool {
            switch self {
            case .declined, .lapsed: true
            default: false
            }
        }

        public var detail: String? {
            if case .declined(let reason) = self { return reason }
            return nil
        }
    }

    public var handoffId: String
    public var conversationId: String
    public var agentId: String
    public var agentName: String
    public var route: String?
    public var reason: Reason
    public var at: Date
    /// The conversation's hops from agent to agent so far.
    public var transfers: Int
}
