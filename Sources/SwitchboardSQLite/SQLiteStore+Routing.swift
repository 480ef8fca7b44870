import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func apply(
        _ events: [RoutableEvent], now: Date, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> ApplySummary {
        guard !events.isEmpty else { return ApplySummary() }
        return try await writer.write { db in
            var summary = ApplySummary()
            let cursor = try Self.cursor(db)
            for event in events where event.sequence > cursor {
                summary.events += 1
                guard let message = event.message else { continue }
                let (customer, via, created) = try SQLiteCustomers.resolve(message, now: now, db: db)
                let (conversation, isNew) = try SQLiteConversations.upsert(
                    message, customerId: customer.id, identity: via, receivedAt: event.receivedAt, db: db)
                guard try SQLiteConversations.addMessage(message, conversationId: conversation.id, db: db) else {
                    summary.repeatedMessages += 1
                    continue
                }
                var previous = conversation.previousAgentId
                // A customer just created has no earlier conversation and so no previous agent.
                if !created, ConversationUpsert.looksUpPreviousAgent(conversation) {
                    previous = try SQLiteConversations.recordPreviousAgent(
                        conversationId: conversation.id, customerId: customer.id, db: db)
                }
                let effects = route(
                    ConversationUpsert.routable(
                        conversation, message: message, isNew: isNew, receivedAt: event.receivedAt,
                        previousAgentId: previous))
                try SQLiteRouting.persist(
                    effects, now: now, limits: historyLimits, writeBackSources: writeBackSources,
                    known: HandoffSubject(
                        conversation: conversation, customer: customer, message: message, created: created, isNew: isNew),
                    db: db)
                summary.count(effects)
            }
            if let last = events.last?.sequence, last > cursor {
                try db.cachedStatement(sql: "UPDATE cursors SET position = ? WHERE name = 'router'").execute(
                    arguments: [last])
            }
            return summary
        }
    }

    public func commit<T: Sendable>(
        _ change: StoreChange, now: Date, decide: @escaping @Sendable () throws -> (T, [RoutingEffect])
    ) async throws -> T {
        let decided = Decided<T>()
        let (limits, writeBackSources) = (historyLimits, self.writeBackSources)
        try await changes.run { db in
            try SQLiteRouting.write(change, now: now, db: db)
            let (value, effects) = try decide()
            try SQLiteRouting.persist(effects, now: now, limits: limits, writeBackSources: writeBackSources, db: db)
            decided.keep(value)
        }
        return try decided.value
    }

    public func routingState() async throws -> RoutingState {
        try await pool.read { db in try Self.routingState(db) }
    }

    public func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws {
        try await writer.write { db in try body(try Self.routingState(db)) }
    }

    static func routingState(_ db: Database) throws -> RoutingState {
        var declines: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT conversation_id, agent_id FROM declines") {
            declines[row["conversation_id"], default: []].insert(row["agent_id"])
        }
        var holdings: [String: OpenConversation.Holding] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT handoff_id, conversation_id, agent_id, status, deadline FROM assignments WHERE released_at IS NULL
                """)
        {
            holdings[row["conversation_id"]] = OpenConversation.Holding(
                agentId: row["agent_id"], handoffId: row["handoff_id"], accepted: row["status"] == AssignmentStatus.accepted.rawValue,
                deadline: Date(timeIntervalSince1970: row["deadline"] ?? 0))
        }
        let open = try SQLiteConversations.fetch(
            db, where: "status != \(ConversationStatus.resolved.sql) ORDER BY waiting_since, rowid", arguments: []
        ).map { conversation, message in
            OpenConversation(
                conversation, message: message, declined: declines[conversation.id] ?? [],
                holding: holdings[conversation.id])
        }
        return RoutingState(agents: try SQLiteAgents.snapshots(db), open: open)
    }
}
