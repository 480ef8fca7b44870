import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    public func apply(
        _ events: [RoutableEvent], now: Date, plan: @Sendable (RoutingInput) -> RoutingPlan
    ) async throws -> ApplySummary {
        guard !events.isEmpty else { return ApplySummary() }
        return try await pool.write { db in
            var summary = ApplySummary()
            let cursor = try Self.cursor(db)
            for event in events where event.sequence > cursor {
                summary.events += 1
                guard let message = event.message else { continue }
                let customer = try SQLiteCustomers.resolve(message, now: now, db: db)
                let (conversation, isNew) = try SQLiteConversations.upsert(
                    message, customerId: customer.id, receivedAt: event.receivedAt, db: db)
                guard try SQLiteConversations.addMessage(message, conversationId: conversation.id, db: db) else {
                    summary.repeatedMessages += 1
                    continue
                }
                let trigger = isNew ? "new conversation" : "new message"
                let input = try SQLiteRouting.input(
                    conversation: conversation, customer: customer, message: message, trigger: trigger, now: now, db: db
                )
                switch try SQLiteRouting.persist(plan(input), conversation: conversation, now: now, db: db) {
                case .assigned: summary.assigned += 1
                case .waiting: summary.waiting += 1
                case .followUp: summary.followUps += 1
                }
            }
            if let last = events.last?.sequence, last > cursor {
                try db.cachedStatement(sql: "UPDATE cursors SET position = ? WHERE name = 'router'").execute(
                    arguments: [last])
            }
            return summary
        }
    }

    public func dispatchWaiting(now: Date, plan: @Sendable (RoutingInput) -> RoutingPlan) async throws -> Int {
        try await pool.write { db in
            var assigned = 0
            let waiting = try SQLiteConversations.fetch(
                db, where: "status = 'waiting' ORDER BY waiting_since, id LIMIT 500", arguments: [])
            for (conversation, lastMessage) in waiting {
                guard let customer = try SQLiteCustomers.fetch(id: conversation.customerId, db: db) else { continue }
                let input = try SQLiteRouting.input(
                    conversation: conversation, customer: customer, message: lastMessage, trigger: "agent available",
                    now: now, db: db)
                let decided = plan(input)
                // A wait that changes nothing is not recorded again; only new offers are.
                if case .assign = decided {
                    _ = try SQLiteRouting.persist(decided, conversation: conversation, now: now, db: db)
                    assigned += 1
                }
            }
            return assigned
        }
    }
}

/// Gathering a planner's input and persisting its plan, inside the caller's transaction.
enum SQLiteRouting {
    enum Persisted { case assigned, waiting, followUp }

    static func input(
        conversation: Conversation, customer: Customer, message: InboundMessage, trigger: String, now: Date,
        db: Database
    ) throws -> RoutingInput {
        let history = try SQLiteConversations.history(
            customerId: customer.id, excluding: conversation.id, limit: 20, db: db)
        let previous = conversation.agentId ?? history.first(where: { $0.agentId != nil })?.agentId
        return RoutingInput(
            conversation: conversation, customer: customer, message: message,
            transcript: try SQLiteConversations.transcript(conversationId: conversation.id, db: db),
            history: history, agents: try SQLiteAgents.snapshots(db), previousAgentId: previous, trigger: trigger,
            now: now)
    }

    static func persist(_ plan: RoutingPlan, conversation: Conversation, now: Date, db: Database) throws -> Persisted {
        switch plan {
        case .assign(let assignment):
            try db.cachedStatement(
                sql: """
                    INSERT INTO assignments (handoff_id, conversation_id, agent_id, channel, assigned_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                assignment.handoffId, conversation.id, assignment.agentId, assignment.channel,
                now.timeIntervalSince1970,
            ])
            try db.cachedStatement(
                sql: """
                    UPDATE conversations SET status = 'assigned', agent_id = ?, handoff_id = ?, waiting_since = NULL
                    WHERE id = ?
                    """
            ).execute(arguments: [assignment.agentId, assignment.handoffId, conversation.id])
            try db.cachedStatement(
                sql: "UPDATE agents SET last_assigned_at = ? WHERE id = ?"
            ).execute(arguments: [now.timeIntervalSince1970, assignment.agentId])
            try insertDecision(assignment.decision, conversationId: conversation.id, db: db)
            try insertDelivery(assignment.delivery, now: now, db: db)
            return .assigned
        case .wait(let decision):
            try insertDecision(decision, conversationId: conversation.id, db: db)
            return .waiting
        case .followUp(let delivery):
            try insertDelivery(delivery, now: now, db: db)
            return .followUp
        }
    }

    static func insertDecision(_ decision: Decision, conversationId: String, db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO decisions (conversation_id, at, body) VALUES (?, ?, ?)"
        ).execute(arguments: [conversationId, decision.at.timeIntervalSince1970, try StoreJSON.encode(decision)])
    }

    static func insertDelivery(_ delivery: OutboundDelivery, now: Date, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO deliveries (id, handoff_id, agent_id, kind, payload, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                """
        ).execute(arguments: [
            delivery.id, delivery.handoffId, delivery.agentId, delivery.kind, Data(delivery.payload),
            now.timeIntervalSince1970, now.timeIntervalSince1970,
        ])
    }
}
