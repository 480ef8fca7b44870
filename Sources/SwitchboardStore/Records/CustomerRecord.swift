import Foundation
import SwitchboardCore

/// A customer as the admin API shows it: identities, every conversation, and the promises not yet kept.
public struct CustomerRecord: Sendable, Hashable, Codable {
    public struct ConversationRef: Sendable, Hashable, Codable {
        public var id: String
        public var source: String
        public var channel: String
        public var status: ConversationStatus
        public var startedAt: Date
        public var agentId: String?
        public var outcome: String?
        /// The identity the conversation was recognised by (`email:ana@example.com`).
        public var identity: String?

        package init(
            id: String, source: String, channel: String, status: ConversationStatus, startedAt: Date, agentId: String?,
            outcome: String?, identity: String?
        ) {
            self.id = id
            self.source = source
            self.channel = channel
            self.status = status
            self.startedAt = startedAt
            self.agentId = agentId
            self.outcome = outcome
            self.identity = identity
        }

        enum CodingKeys: String, CodingKey {
            case id, source, channel, status, outcome, identity
            case startedAt = "started_at"
            case agentId = "agent_id"
        }
    }

    public var id: String
    public var name: String?
    public var identities: [Identity]
    /// Newest first.
    public var conversations: [ConversationRef]
    /// Soonest due first.
    public var promises: [Promise]

    package init(
        id: String, name: String?, identities: [Identity], conversations: [ConversationRef], promises: [Promise]
    ) {
        self.id = id
        self.name = name
        self.identities = identities
        self.conversations = conversations
        self.promises = promises
    }

    enum CodingKeys: String, CodingKey {
        case id, name, identities, conversations, promises
    }
}

/// One merge or unmerge: who did it, when, and what moved.
public struct CustomerAuditEntry: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Codable {
        case merge, unmerge
    }

    public var id: Int64
    /// The customer kept: the one merged into, or the one an identity was split from.
    public var customerId: String
    /// The customer merged away, or the one the split created.
    public var otherCustomerId: String
    public var action: Action
    /// Who asked (the fingerprint of their API token).
    public var actor: String
    public var at: Date
    /// Identities that moved (`email:ana@example.com`).
    public var identities: [String]
    /// Conversations that moved.
    public var conversations: [String]
    /// Promises that moved.
    public var promises: [String]

    package init(
        id: Int64, customerId: String, otherCustomerId: String, action: Action, actor: String, at: Date,
        identities: [String], conversations: [String], promises: [String]
    ) {
        self.id = id
        self.customerId = customerId
        self.otherCustomerId = otherCustomerId
        self.action = action
        self.actor = actor
        self.at = at
        self.identities = identities
        self.conversations = conversations
        self.promises = promises
    }

    enum CodingKeys: String, CodingKey {
        case id, action, actor, at, identities, conversations, promises
        case customerId = "customer_id"
        case otherCustomerId = "other_customer_id"
    }
}
