import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

extension PostgresStore {
    public func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int {
        try await routing { session in
            let due = try await PostgresPromises.due(now: now, limit: limit, session: session)
            for promise in due {
                let message = try await Self.openFollowUp(promise, now: now, holdForAgent: holdForAgent, session: session)
                let effects = route(message)
                try await PostgresRouting.persist(
                    effects, now: now, limits: historyLimits, writeBackSources: writeBackSources, session: session)
            }
            return due.count
        }
    }

    public func nextPromiseDue() async throws -> Date? {
        try await reading { session in try await PostgresPromises.nextDue(session: session) }
    }

    public func overduePromises(now: Date) async throws -> Int {
        try await reading { session in try await PostgresPromises.overdue(now: now, session: session) }
    }

    /// The follow-up of a promise that fell due: a new conversation on the promise's channel with the
    /// customer, holding out for the agent who made the promise. It is routed on what the original
    /// conversation was routed on (its last customer message and attributes, so the same facts and
    /// route apply), and its transcript has one message from Switchboard saying what is due.
    private static func openFollowUp(
        _ promise: Promise, now: Date, holdForAgent: Double, session: PostgresSession
    ) async throws -> ConversationMessage {
        guard
            let (original, last) = try await PostgresConversations.fetch(id: promise.conversationId, session: session)
        else { throw PostgresStateError("promise \(promise.id) names a missing conversation") }
        var attributes = original.attributes
        attributes["follow_up"] = .bool(true)
        let message = InboundMessage(
            source: "promise", conversationId: promise.id, channel: original.channel, customer: last.customer,
            messageId: promise.id, text: last.text, sentAt: now, attributes: attributes)
        var notice = message
        notice.text = "Follow-up due: \(promise.what)"
        let conversation = Conversation(
            id: "cv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), source: "promise",
            externalId: promise.id, channel: original.channel, customerId: promise.customerId, startedAt: now,
            status: .waiting, waitingSince: now, attributes: attributes, previousAgentId: promise.agentId,
            holdForPrevious: holdForAgent)
        try await PostgresConversations.insert(conversation, lastMessage: message, identity: nil, session: session)
        _ = try await PostgresConversations.addMessage(
            notice, conversationId: conversation.id, author: "switchboard", session: session)
        try await PostgresPromises.markDue(promise.id, followUp: conversation.id, session: session)
        return ConversationMessage(
            conversationId: conversation.id, channel: conversation.channel, message: message, receivedAt: now, isNew: true,
            previousAgentId: promise.agentId, transfers: 0, holdForPrevious: holdForAgent)
    }
}
