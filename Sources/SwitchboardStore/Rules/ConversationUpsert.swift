import Foundation
import SwitchboardCore

/// What a message does to its conversation, the rule both stores follow: a known conversation takes the
/// message's attributes, and one that was resolved reopens and waits for an agent; an unknown one starts.
public enum ConversationUpsert {
    /// The known conversation after `message`, received at `receivedAt`.
    public static func update(_ conversation: Conversation, with message: InboundMessage, receivedAt: Date) -> Conversation {
        var updated = conversation
        updated.attributes.merge(message.attributes) { _, new in new }
        if updated.status == .resolved {
            updated.status = .waiting
            updated.waitingSince = receivedAt
            updated.handoffId = nil
        }
        return updated
    }

    /// The conversation `message` starts, for `customerId`, waiting from `receivedAt`.
    public static func start(with message: InboundMessage, customerId: String, receivedAt: Date) -> Conversation {
        Conversation(
            id: "cv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
            source: message.source, externalId: message.conversationId, channel: message.channel,
            customerId: customerId, startedAt: message.sentAt, status: .waiting, waitingSince: receivedAt,
            attributes: message.attributes)
    }

    /// Whether the conversation's previous agent is looked up (and recorded) before it is routed: when it
    /// waits for an agent, so a returning customer can be offered to the agent they had.
    public static func looksUpPreviousAgent(_ conversation: Conversation) -> Bool {
        conversation.status == .waiting
    }

    /// What the routing engine is asked about the message.
    public static func routable(
        _ conversation: Conversation, message: InboundMessage, isNew: Bool, receivedAt: Date, previousAgentId: String?
    ) -> ConversationMessage {
        ConversationMessage(
            conversationId: conversation.id, channel: conversation.channel, message: message,
            receivedAt: conversation.waitingSince ?? receivedAt, isNew: isNew, previousAgentId: previousAgentId,
            transfers: conversation.transfers, holdForPrevious: conversation.holdForPrevious)
    }
}
