import Foundation

/// One conversation with one customer on one channel, as the store keeps it.
public struct Conversation: Sendable, Hashable, Codable {
    /// Switchboard's id; the id handoffs carry and the agent API takes.
    public var id: String
    public var source: String
    /// The platform's id for the conversation.
    public var externalId: String
    public var channel: String
    public var customerId: String
    public var startedAt: Date
    public var status: ConversationStatus
    /// The agent holding it while assigned, and the last one after.
    public var agentId: String?
    /// The handoff that assigned it.
    public var handoffId: String?
    /// When the current wait for an agent began.
    public var waitingSince: Date?
    /// How many times it moved from one agent to another.
    public var transfers: Int
    public var attributes: [String: Value]
    public var outcome: String?
    public var notes: String?
    /// The agent of the customer's most recent earlier conversation, preferred when eligible.
    public var previousAgentId: String?
    /// The route's priority for it, highest offered first.
    public var priority: Int
    /// Seconds it holds out for `previousAgentId` whatever the route prefers: set on a promise's follow-up.
    public var holdForPrevious: Double?

    public init(
        id: String, source: String, externalId: String, channel: String, customerId: String, startedAt: Date,
        status: ConversationStatus, agentId: String? = nil, handoffId: String? = nil, waitingSince: Date? = nil,
        transfers: Int = 0, attributes: [String: Value] = [:], outcome: String? = nil, notes: String? = nil,
        previousAgentId: String? = nil, priority: Int = 0, holdForPrevious: Double? = nil
    ) {
        self.holdForPrevious = holdForPrevious
        self.id = id
        self.source = source
        self.externalId = externalId
        self.channel = channel
        self.customerId = customerId
        self.startedAt = startedAt
        self.status = status
        self.agentId = agentId
        self.handoffId = handoffId
        self.waitingSince = waitingSince
        self.transfers = transfers
        self.attributes = attributes
        self.outcome = outcome
        self.notes = notes
        self.previousAgentId = previousAgentId
        self.priority = priority
    }
}
