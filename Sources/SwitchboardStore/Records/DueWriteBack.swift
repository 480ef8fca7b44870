import Foundation

/// Telling a conversation's platform who took it, as the outbox keeps it: stored with the acceptance that
/// causes it, sent by the write-back service, retried until the platform takes it.
public struct DueWriteBack: Sendable, Equatable {
    public var id: String
    /// The accepted offer.
    public var handoffId: String
    public var conversationId: String
    /// The source the conversation came from, whose `write_back` settings say where and how to write.
    public var source: String
    /// The conversation's id on the platform (`conversations.external_id`): a Zendesk ticket id, an Intercom
    /// conversation id, a Front `cnv_` id.
    public var externalId: String
    public var agentId: String
    /// The agent's id on the platform (their `platform_ids` entry for `source`), read at each attempt; nil when
    /// they have none (or are no longer defined).
    public var platformAgentId: String?
    /// Failed attempts so far.
    public var attempts: Int
    /// The agent's name, read at each attempt (a Matrix notice names them); nil when no longer defined.
    public var agentName: String?
    /// The agent's team, for a Matrix notice: their strongest skill (the highest level; of equals, the first by
    /// name); nil when they have no skills.
    public var agentTeam: String?

    public init(
        id: String, handoffId: String, conversationId: String, source: String, externalId: String, agentId: String,
        platformAgentId: String?, attempts: Int, agentName: String? = nil, agentTeam: String? = nil
    ) {
        self.agentName = agentName
        self.agentTeam = agentTeam
        self.id = id
        self.handoffId = handoffId
        self.conversationId = conversationId
        self.source = source
        self.externalId = externalId
        self.agentId = agentId
        self.platformAgentId = platformAgentId
        self.attempts = attempts
    }
}
