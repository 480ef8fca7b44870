import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int {
        try await writer.write { db in
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

    /// Opens the follow-up of a promise that fell due (``PromiseFollowUp``); returns what the engine routes.
    private static func openFollowUp(
        _ promise: Promise, now: Date, holdForAgent: Double, db: Database
    ) throws -> ConversationMessage {
        guard
            let (original, last) = try SQLiteConversations.fetch(db, where: "id = ?", arguments: [promise.conversationId])
                .first
        else { throw StoreError.inconsistent("promise \(promise.id) names a missing conversation") }
        let followUp = PromiseFollowUp(promise, original: original, last: last, now: now, holdForAgent: holdForAgent)
        try SQLiteConversations.insert(followUp.conversation, lastMessage: followUp.message, identity: nil, db: db)
        _ = try SQLiteConversations.addMessage(
            followUp.notice, conversationId: followUp.conversation.id, author: "switchboard", db: db)
        try SQLitePromises.markDue(promise.id, followUp: followUp.conversation.id, db: db)
        return followUp.routable
    }
}
