import Foundation

/// A waiting or held conversation as the engine keeps it.
struct ConversationState: Sendable {
    var id: String
    var channel: String
    var queuedAt: Date
    var previous: String?
    var transfers: Int
    /// Arrival order, the last tie-breaker in the queue.
    var sequence: Int
    var route: Int?
    var routeName: String?
    var facts: [String: Value] = [:]
    /// The route's requirements with this conversation's facts, before relaxation.
    var base: ResolvedRequirements?
    var priority = 0
    /// Agents who declined it or let an offer lapse.
    var declined: Set<String> = []
    /// The agent it moved away from, until the next offer counts the hop.
    var movedFrom: String?
    var holder: Holder?
    /// Seconds to hold out for the previous agent whatever the route prefers: a promise's follow-up
    /// goes back to the agent who made the promise when they are online and free within this wait.
    var holdForPrevious: Double?

    init(id: String, channel: String, queuedAt: Date, previous: String?, transfers: Int, sequence: Int) {
        self.id = id
        self.channel = channel
        self.queuedAt = queuedAt
        self.previous = previous
        self.transfers = transfers
        self.sequence = sequence
    }

    /// Takes the route and facts of the latest message.
    mutating func apply(_ match: RouteMatch?) {
        route = match?.index
        routeName = match?.route
        facts = match?.facts ?? [:]
        base = match?.requirements
        priority = match?.priority ?? 0
    }
}

/// The agent an offer or assignment is with.
struct Holder: Sendable {
    var agent: Int
    var handoffId: String
    var channel: Int
    var accepted: Bool
    var deadline: Date
}

/// A stored customer message for the engine.
public struct ConversationMessage: Sendable {
    public var conversationId: String
    public var channel: String
    public var message: InboundMessage
    public var receivedAt: Date
    /// True for a conversation's first message (false for a reopened one).
    public var isNew: Bool
    /// The agent of the customer's most recent earlier conversation.
    public var previousAgentId: String?
    public var transfers: Int
    /// Seconds to hold out for `previousAgentId` whatever the route prefers (a promise's follow-up).
    public var holdForPrevious: Double?

    public init(
        conversationId: String, channel: String, message: InboundMessage, receivedAt: Date, isNew: Bool,
        previousAgentId: String?, transfers: Int, holdForPrevious: Double? = nil
    ) {
        self.conversationId = conversationId
        self.channel = channel
        self.message = message
        self.receivedAt = receivedAt
        self.isNew = isNew
        self.previousAgentId = previousAgentId
        self.transfers = transfers
        self.holdForPrevious = holdForPrevious
    }
}

/// A waiting or held conversation as the store has it, to rebuild the engine at start-up.
public struct OpenConversation: Sendable {
    public struct Holding: Sendable {
        public var agentId: String
        public var handoffId: String
        public var accepted: Bool
        public var deadline: Date

        public init(agentId: String, handoffId: String, accepted: Bool, deadline: Date) {
            self.agentId = agentId
            self.handoffId = handoffId
            self.accepted = accepted
            self.deadline = deadline
        }
    }

    public var conversationId: String
    public var channel: String
    /// The latest customer message, which the route and facts are computed from.
    public var message: InboundMessage
    public var queuedAt: Date
    public var previousAgentId: String?
    public var declined: Set<String>
    public var transfers: Int
    public var holding: Holding?
    /// See ``ConversationMessage/holdForPrevious``.
    public var holdForPrevious: Double?

    public init(
        conversationId: String, channel: String, message: InboundMessage, queuedAt: Date, previousAgentId: String?,
        declined: Set<String>, transfers: Int, holding: Holding?, holdForPrevious: Double? = nil
    ) {
        self.holdForPrevious = holdForPrevious
        self.conversationId = conversationId
        self.channel = channel
        self.message = message
        self.queuedAt = queuedAt
        self.previousAgentId = previousAgentId
        self.declined = declined
        self.transfers = transfers
        self.holding = holding
    }
}
