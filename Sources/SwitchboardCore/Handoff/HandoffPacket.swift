import Foundation

/// Everything an agent needs to take over a conversation without asking the customer to repeat anything.
/// This is the JSON body of the handoff delivered to the agent's desk.
public struct HandoffPacket: Sendable, Hashable, Codable {
    /// 2 added `history_summary`, `promises`, `conversation.follow_up` and each history entry's
    /// `agent_notes` and `transfers`. The schema is docs/handoff.schema.json.
    public static let currentSchemaVersion = 2

    public struct AgentRef: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
    }

    public struct ConversationPart: Sendable, Hashable, Codable {
        public var id: String
        public var source: String
        public var externalId: String
        public var channel: String
        public var startedAt: Date
        public var messages: [TranscriptMessage]
        public var attributes: [String: Value]
        /// Notes earlier agents left on this conversation (before a transfer, say), oldest first.
        public var notes: [AgentNote]
        /// The promise this conversation follows up, when a promise fell due.
        public var followUp: Promise?

        enum CodingKeys: String, CodingKey {
            case id, source, channel, messages, attributes, notes
            case followUp = "follow_up"
            case externalId = "external_id"
            case startedAt = "started_at"
        }
    }

    public struct CustomerPart: Sendable, Hashable, Codable {
        public var id: String
        public var name: String?
        public var identities: [Identity]
    }

    public struct RoutingPart: Sendable, Hashable, Codable {
        public var route: String
        public var requirements: ResolvedRequirements
        public var facts: [String: Value]
        /// Why this agent was chosen, as one sentence.
        public var why: String
        /// The same, one reason per line: the rule, the load, each requirement met.
        public var reasons: [String]
        /// The rule that chose the agent: `previous agent`, `only eligible`, `least loaded`, `idle longest`, `named`.
        public var rule: String?
        /// Relax steps that applied while the conversation waited.
        public var relaxed: [String]
        public var priority: Int
        public var waitedMs: Int
        /// How many times this conversation has moved between agents, this handoff included.
        public var transfers: Int
        /// The agent it moved from, after an escalation or a transfer.
        public var movedFrom: String?
        /// What prompted the decision: `new conversation`, `declined by ben`, `escalated: ...`, `transfer by ana`.
        public var trigger: String
        /// Accept before this time, or the offer goes to the next agent.
        public var offerDeadline: Date

        enum CodingKeys: String, CodingKey {
            case route, requirements, facts, why, reasons, rule, relaxed, priority, transfers, trigger
            case waitedMs = "waited_ms"
            case movedFrom = "moved_from"
            case offerDeadline = "offer_deadline"
        }
    }

    public var schemaVersion: Int
    /// `handoff` for a new assignment.
    public var kind: String
    public var handoffId: String
    public var agent: AgentRef
    public var conversation: ConversationPart
    public var customer: CustomerPart
    /// The customer's earlier conversations on every channel, newest first, capped.
    public var history: [HistoryEntry]
    /// Totals over all of them.
    public var historySummary: HistorySummary
    /// What agents promised this customer and have not kept yet, soonest due first.
    public var promises: [Promise]
    public var routing: RoutingPart

    enum CodingKeys: String, CodingKey {
        case kind, agent, conversation, customer, history, promises, routing
        case historySummary = "history_summary"
        case schemaVersion = "schema_version"
        case handoffId = "handoff_id"
    }
}

/// A later customer message in a conversation an agent already holds, delivered to the same agent.
public struct MessageDelivery: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    /// Always `message`.
    public var kind: String
    public var handoffId: String
    public var agent: HandoffPacket.AgentRef
    public var conversationId: String
    public var message: TranscriptMessage

    enum CodingKeys: String, CodingKey {
        case kind, agent, message
        case schemaVersion = "schema_version"
        case handoffId = "handoff_id"
        case conversationId = "conversation_id"
    }
}

/// Tells a desk that an offer or assignment is no longer the agent's: it moved to another agent,
/// was withdrawn when they went away, or lapsed unanswered.
public struct ReleaseNotice: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    /// Always `released`.
    public var kind: String
    public var handoffId: String
    public var agent: HandoffPacket.AgentRef
    public var conversationId: String
    /// `moved`, `withdrawn` or `lapsed`.
    public var reason: String
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case kind, agent, reason, at
        case schemaVersion = "schema_version"
        case handoffId = "handoff_id"
        case conversationId = "conversation_id"
    }
}
