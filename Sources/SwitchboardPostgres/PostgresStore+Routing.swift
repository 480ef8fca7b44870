import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

extension PostgresStore {
    public func apply(
        _ events: [RoutableEvent], now: Date, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> ApplySummary {
        guard !events.isEmpty else { return ApplySummary() }
        return try await routing(changed: { $0.events > 0 }) { session in
            var summary = ApplySummary()
            let cursor = try await Self.cursor(session)
            var lookup = try await PostgresBatchLookup.read(
                for: events.compactMap { $0.sequence > cursor ? $0.message : nil }, session: session)
            for event in events where event.sequence > cursor {
                summary.events += 1
                guard let message = event.message else { continue }
                let (customer, via, created) = try await PostgresCustomers.resolve(
                    message, now: now, lookup: &lookup, session: session)
                let (conversation, isNew) = try await PostgresConversations.upsert(
                    message, customerId: customer.id, identity: via, receivedAt: event.receivedAt, lookup: &lookup,
                    session: session)
                session.touched?.conversation(conversation.id)
                // A new conversation was stored with its first message.
                if !isNew {
                    guard
                        try await PostgresConversations.addMessage(message, conversationId: conversation.id, session: session)
                    else {
                        summary.repeatedMessages += 1
                        continue
                    }
                }
                var previous = conversation.previousAgentId
                // A customer just created has no earlier conversation and so no previous agent.
                if !created, ConversationUpsert.looksUpPreviousAgent(conversation) {
                    previous = try await PostgresConversations.recordPreviousAgent(
                        conversationId: conversation.id, customerId: customer.id, session: session)
                }
                let effects = route(
                    ConversationUpsert.routable(
                        conversation, message: message, isNew: isNew, receivedAt: event.receivedAt,
                        previousAgentId: previous))
                try await PostgresRouting.persist(
                    effects, now: now, limits: historyLimits, writeBackSources: writeBackSources,
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
            try await PostgresRouting.write(change, now: now, session: session)
            let (value, effects) = try decide()
            try await PostgresRouting.persist(
                effects, now: now, limits: limits, writeBackSources: writeBackSources, session: session)
            decided.keep(value)
        }
        return try decided.value
    }

    public func routingState() async throws -> RoutingState {
        try await snapshot { session in try await Self.routingState(session) }
    }

    /// `body` builds the engine from the state read under the lock: the engine then reflects that version.
    public func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws {
        let version = try await writing { session in
            try body(try await Self.routingState(session))
            return try await Self.routingVersion(session)
        }
        routingCache.withLock { $0.value }?.advance(to: version)
    }

    /// The router's position in the inbound log: the last sequence applied.
    static func cursor(_ session: PostgresSession) async throws -> Int64 {
        try await session.value("SELECT position FROM cursors WHERE name = 'router'", as: Int64.self) ?? 0
    }

    static func routingState(_ session: PostgresSession) async throws -> RoutingState {
        RoutingState(agents: try await PostgresAgents.snapshots(session), open: try await openConversations(session))
    }

    /// The conversations not resolved, in the order they wait, with their declines and holdings; with `ids`, those
    /// of them only.
    static func openConversations(_ session: PostgresSession, ids: [String]? = nil) async throws -> [OpenConversation] {
        let (all, only) = (ids == nil, ids ?? [])
        var declines: [String: Set<String>] = [:]
        for (conversationId, agentId) in try await session.rows(
            "SELECT conversation_id, agent_id FROM declines WHERE \(all) OR conversation_id = ANY(\(only)::TEXT[])",
            as: (String, String).self)
        {
            declines[conversationId, default: []].insert(agentId)
        }
        var holdings: [String: OpenConversation.Holding] = [:]
        for (handoffId, conversationId, agentId, status, deadline) in try await session.rows(
            """
            SELECT handoff_id, conversation_id, agent_id, status, deadline FROM assignments
            WHERE released_at IS NULL AND (\(all) OR conversation_id = ANY(\(only)::TEXT[]))
            """, as: (String, String, String, String, Double?).self)
        {
            holdings[conversationId] = OpenConversation.Holding(
                agentId: agentId, handoffId: handoffId, accepted: status == AssignmentStatus.accepted.rawValue,
                deadline: Date(timeIntervalSince1970: deadline ?? 0))
        }
        return try await PostgresConversations.fetch(
            session,
            """
            SELECT \(unescaped: PostgresConversations.columns) FROM conversations
            WHERE status != \(unescaped: ConversationStatus.resolved.sql) AND (\(all) OR id = ANY(\(only)::TEXT[]))
            ORDER BY waiting_since NULLS FIRST, position
            """
        ).map { conversation, message in
            OpenConversation(
                conversation, message: message, declined: declines[conversation.id] ?? [],
                holding: holdings[conversation.id])
        }
    }
}
