import Foundation
import SwitchboardCore
import SwitchboardStore

/// What the router reads and writes: events applied and changes committed with the engine's effects, in one
/// routing transaction each.
extension SQLStore {
    public func apply(
        _ events: [RoutableEvent], now: Date, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> ApplySummary {
        guard !events.isEmpty else { return ApplySummary() }
        let (limits, writeBackSources) = (historyLimits, self.writeBackSources)
        return try await routing(changed: { $0.events > 0 }) { session in
            var summary = ApplySummary()
            let cursor = try await session.value("SELECT position FROM cursors WHERE name = 'router'", as: Int64.self) ?? 0
            var lookup = try await SQLBatchLookup.read(
                for: events.compactMap { $0.sequence > cursor ? $0.message : nil }, session: session)
            for event in events where event.sequence > cursor {
                summary.events += 1
                guard let message = event.message else { continue }
                let (customer, via, created) = try await SQLCustomers.resolve(
                    message, now: now, lookup: &lookup, session: session)
                let (conversation, isNew) = try await SQLConversations.upsert(
                    message, customerId: customer.id, identity: via, receivedAt: event.receivedAt, lookup: &lookup,
                    session: session)
                session.touched?.conversation(conversation.id)
                // A new conversation was stored with its first message.
                if !isNew {
                    guard try await SQLConversations.addMessage(message, conversationId: conversation.id, session: session)
                    else {
                        summary.repeatedMessages += 1
                        continue
                    }
                }
                var previous = conversation.previousAgentId
                // A customer just created has no earlier conversation and so no previous agent.
                if !created, ConversationUpsert.looksUpPreviousAgent(conversation) {
                    previous = try await SQLConversations.recordPreviousAgent(
                        conversationId: conversation.id, customerId: customer.id, session: session)
                }
                let effects = route(
                    ConversationUpsert.routable(
                        conversation, message: message, isNew: isNew, receivedAt: event.receivedAt,
                        previousAgentId: previous))
                try await SQLRouting.persist(
                    effects, now: now, limits: limits, writeBackSources: writeBackSources,
                    known: HandoffSubject(
                        conversation: conversation, customer: customer, message: message, created: created, isNew: isNew),
                    session: session)
                summary.count(effects)
            }
            if let last = events.last?.sequence, last > cursor {
                try await session.execute("UPDATE cursors SET position = \(last) WHERE name = 'router'")
            }
            return summary
        }
    }

    public func commit<T: Sendable>(
        _ change: StoreChange, now: Date, decide: @escaping @Sendable () throws -> (T, [RoutingEffect])
    ) async throws -> T {
        let decided = Decided<T>()
        let (limits, writeBackSources) = (historyLimits, self.writeBackSources)
        try await changes.run { session in
            try await SQLRouting.write(change, now: now, session: session)
            let (value, effects) = try decide()
            try await SQLRouting.persist(
                effects, now: now, limits: limits, writeBackSources: writeBackSources, session: session)
            decided.keep(value)
        }
        return try decided.value
    }

    public func routingState() async throws -> RoutingState {
        try await snapshot { session in try await SQLRouting.state(session) }
    }

    public func upsertAgents(_ agents: [Agent]) async throws {
        try await routing(changed: { _ in false }) { session in
            for agent in agents { try await SQLAgents.upsert(agent, session: session) }
            try await routingStateReplaced(session)
        }
    }

    public func agentSnapshots() async throws -> [AgentSnapshot] {
        try await snapshot { session in try await SQLAgents.snapshots(session) }
    }

    public func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int {
        let (limits, writeBackSources) = (historyLimits, self.writeBackSources)
        return try await routing(changed: { $0 > 0 }) { session in
            let due = try await SQLPromises.due(now: now, limit: limit, session: session)
            for promise in due {
                let message = try await Self.openFollowUp(promise, now: now, holdForAgent: holdForAgent, session: session)
                try await SQLRouting.persist(
                    route(message), now: now, limits: limits, writeBackSources: writeBackSources, session: session)
            }
            return due.count
        }
    }

    public func nextPromiseDue() async throws -> Date? {
        try await reading { session in try await SQLPromises.nextDue(session: session) }
    }

    public func overduePromises(now: Date) async throws -> Int {
        try await reading { session in try await SQLPromises.overdue(now: now, session: session) }
    }

    /// Opens the follow-up of a promise that fell due (``PromiseFollowUp``); returns what the engine routes.
    private static func openFollowUp(
        _ promise: Promise, now: Date, holdForAgent: Double, session: Session
    ) async throws -> ConversationMessage {
        guard let (original, last) = try await SQLConversations.fetch(id: promise.conversationId, session: session)
        else { throw StoreError.inconsistent("promise \(promise.id) names a missing conversation") }
        let followUp = PromiseFollowUp(promise, original: original, last: last, now: now, holdForAgent: holdForAgent)
        try await SQLConversations.insert(
            followUp.conversation, lastMessage: try StoreJSON.encode(followUp.message), identity: nil,
            first: followUp.notice, author: "switchboard", session: session)
        try await SQLPromises.markDue(promise.id, followUp: followUp.conversation.id, session: session)
        session.touched?.conversation(followUp.conversation.id)
        return followUp.routable
    }
}

extension SQLRouting {
    /// Writes a group of changes in the caller's routing transaction, each in a savepoint: one that throws is
    /// rolled back alone. Returns each one's error, nil for those written.
    package static func savepoints<Session: SQLSession>(
        _ works: [@Sendable (Session) async throws -> Void], session: Session
    ) async throws -> [(any Error)?] {
        var errors: [(any Error)?] = []
        for work in works {
            try await session.execute("SAVEPOINT change")
            do {
                try await work(session)
                try await session.execute("RELEASE SAVEPOINT change")
                errors.append(nil)
            } catch {
                // A closed connection fails the group: the rollback to the savepoint throws.
                try await session.execute("ROLLBACK TO SAVEPOINT change")
                try await session.execute("RELEASE SAVEPOINT change")
                errors.append(error)
            }
        }
        return errors
    }
}
