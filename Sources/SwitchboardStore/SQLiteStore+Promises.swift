import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    public func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int {
        try await pool.write { db in
            let due = try SQLitePromises.due(now: now, limit: limit, db: db)
            for promise in due {
                let message = try Self.openFollowUp(promise, now: now, holdForAgent: holdForAgent, db: db)
                let effects = route(message)
                try SQLiteRouting.persist(
                    effects, now: now, limits: self.historyLimits, writeBackSources: self.writeBackSources, db: db)
            }
            return due.count
        }
    }

    public func nextPromiseDue() async throws -> Date? {
        try await pool.read { db in try SQLitePromises.nextDue(db: db) }
    }

    public func overduePromises(now: Date) async throws -> Int {
        try await pool.read { db in try SQLitePromises.overdue(now: now, db: db) }
    }

    /// The follow-up of a promise that fell due: a new conversation on the promise's channel with the
    /// customer, holding out for the agent who made the promise. It is routed on what the original
    /// conversation was routed on (its last customer message and attributes, so the same facts and
    /// route apply), and its transcript has one message from Switchboard saying what is due.
    private static func openFollowUp(
        _ promise: Promise, now: Date, holdForAgent: Double, db: Database
    ) throws -> ConversationMessage {
        guard
            let (original, last) = try SQLiteConversations.fetch(db, where: "id = ?", arguments: [promise.conversationId])
                .first
        else { throw DatabaseError(message: "promise \(promise.id) names a missing conversation") }
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
        try SQLiteConversations.insert(conversation, lastMessage: message, identity: nil, db: db)
        _ = try SQLiteConversations.addMessage(notice, conversationId: conversation.id, author: "switchboard", db: db)
        try SQLitePromises.markDue(promise.id, followUp: conversation.id, db: db)
        return ConversationMessage(
            conversationId: conversation.id, channel: conversation.channel, message: message, receivedAt: now, isNew: true,
            previousAgentId: promise.agentId, transfers: 0, holdForPrevious: holdForAgent)
    }
}
