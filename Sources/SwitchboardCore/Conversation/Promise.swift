import Foundation

/// Something an agent promised a customer on resolving a conversation, followed through until kept:
/// when it falls due, a follow-up is routed like a conversation, back to the agent who made it when
/// they are free, and resolving that follow-up keeps the promise.
public struct Promise: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Not yet due.
        case open
        /// Due: its follow-up is being routed or worked on.
        case due
        /// Its follow-up was resolved.
        case kept
    }

    public var id: String
    public var customerId: String
    /// The conversation it was made in.
    public var conversationId: String
    /// The agent who made it.
    public var agentId: String
    public var what: String
    public var due: Date
    public var madeAt: Date
    public var status: Status
    /// The follow-up routed when it fell due.
    public var followUpConversationId: String?

    public init(
        id: String, customerId: String, conversationId: String, agentId: String, what: String, due: Date, madeAt: Date,
        status: Status = .open, followUpConversationId: String? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.conversationId = conversationId
        self.agentId = agentId
        self.what = what
        self.due = due
        self.madeAt = madeAt
        self.status = status
        self.followUpConversationId = followUpConversationId
    }

    /// Overdue: past its due time and not kept.
    public func isOverdue(at now: Date) -> Bool { status != .kept && due < now }

    enum CodingKeys: String, CodingKey {
        case id, what, due, status
        case customerId = "customer_id"
        case conversationId = "conversation_id"
        case agentId = "agent_id"
        case madeAt = "made_at"
        case followUpConversationId = "follow_up_conversation_id"
    }
}

/// `{"due": "2026-11-25T09:00:00Z", "what": "confirm the refund posted"}`: a promise as an agent makes it on resolve.
public struct PromiseRequest: Sendable, Hashable, Codable {
    public var due: Date
    public var what: String

    public init(due: Date, what: String) {
        self.due = due
        self.what = what
    }

    /// The longest `what` accepted.
    public static let maxLength = 1_000

    enum CodingKeys: String, CodingKey {
        case due, what
    }

    /// `due` is read as inbound timestamps are: ISO 8601, with or without fractional seconds or an offset.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stamp = try container.decode(String.self, forKey: .due)
        guard let due = Timestamp.parse(stamp) else {
            throw DecodingError.dataCorruptedError(
                forKey: .due, in: container, debugDescription: "\"\(stamp)\" is not an ISO 8601 date-time")
        }
        self.due = due
        self.what = try container.decode(String.self, forKey: .what)
    }
}
