import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

extension PostgresStore {
    public func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int {
        try await routing(changed: { $0 > 0 }) { session in
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

    /// Opens the follow-up of a promise that fell due (``PromiseFollowUp``); returns what the engine routes.
    private static func openFollowUp(
        _ promise: Promise, now: Date, holdForAgent: Double, session: PostgresSession
    ) async throws -> ConversationMessage {
        guard
            let (original, last) = try await PostgresConversations.fetch(id: promise.conversationId, session: session)
        else { throw StoreError.inconsistent("promise \(promise.id) names a missing conversation") }
        let followUp = PromiseFollowUp(promise, original: original, last: last, now: now, holdForAgent: holdForAgent)
        try await PostgresConversations.insert(
            followUp.conversation, lastMessage: try StoreJSON.encode(followUp.message), identity: nil,
            first: followUp.notice, author: "switchboard", session: session)
        try await PostgresPromises.markDue(promise.id, followUp: followUp.conversation.id, session: session)
        return followUp.routable
    }
}
