import Foundation
import SwitchboardCore

/// The follow-up of a promise that fell due, as every store opens it: a new conversation on the promise's
/// channel with the customer, holding out for the agent who made the promise. It is routed on what the
/// original conversation was routed on (its last customer message and attributes, so the same facts and
/// route apply), and its transcript has one message from Switchboard saying what is due.
package struct PromiseFollowUp {
    package var conversation: Conversation
    /// What the engine routes on (and the conversation's last message).
    package var message: InboundMessage
    /// The transcript's one message, from Switchboard.
    package var notice: InboundMessage
    /// For the engine.
    package var routable: ConversationMessage

    package init(_ promise: Promise, original: Conversation, last: InboundMessage, now: Date, holdForAgent: Double) {
        var attributes = original.attributes
        attributes["follow_up"] = .bool(true)
        message = InboundMessage(
            source: "promise", conversationId: promise.id, channel: original.channel, customer: last.customer,
            messageId: promise.id, text: last.text, sentAt: now, attributes: attributes)
        notice = message
        notice.text = "Follow-up due: \(promise.what)"
        conversation = Conversation(
            id: "cv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), source: "promise",
            externalId: promise.id, channel: original.channel, customerId: promise.customerId, startedAt: now,
            status: .waiting, waitingSince: now, attributes: attributes, previousAgentId: promise.agentId,
            holdForPrevious: holdForAgent)
        routable = ConversationMessage(
            conversationId: conversation.id, channel: conversation.channel, message: message, receivedAt: now, isNew: true,
            previousAgentId: promise.agentId, transfers: 0, holdForPrevious: holdForAgent)
    }
}
