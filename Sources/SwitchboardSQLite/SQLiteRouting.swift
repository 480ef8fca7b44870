import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Persisting the routing engine's effects and the changes that cause them, inside the caller's transaction.
enum SQLiteRouting {
    static func write(_ change: StoreChange, now: Date, db: Database) throws {
        switch change {
        case .none:
            break
        case .presence(let agentId, let status):
            try db.cachedStatement(sql: "UPDATE agents SET status = ? WHERE id = ?").execute(arguments: [
                status.rawValue, agentId,
            ])
        case .agent(let agent):
            try SQLiteAgents.upsert(agent, db: db)
        case .resolution(let conversationId, let outcome, let notes, let promise):
            try db.cachedStatement(
                sql: "UPDATE conversations SET outcome = ?, notes = ? WHERE id = ?"
            ).execute(arguments: [outcome, notes, conversationId])
            let agent = try String.fetchOne(
                db, sql: "SELECT agent_id FROM conversations WHERE id = ?", arguments: [conversationId]) ?? ""
            if let notes, !notes.isEmpty {
                try insertNote(AgentNote(agentId: agent, at: now, text: notes), conversationId: conversationId, db: db)
            }
            try SQLitePromises.keep(followUp: conversationId, now: now, db: db)
            if let promise {
                _ = try SQLitePromises.insert(promise, conversationId: conversationId, agentId: agent, now: now, db: db)
            }
        case .note(let conversationId, let note):
            try insertNote(note, conversationId: conversationId, db: db)
        case .byDesk(let action, let change):
            try db.cachedStatement(
                sql: "INSERT INTO desk_actions (at, token_id, agents, action, subject) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [
                action.at.timeIntervalSince1970, action.tokenId, DeskTokenRecord.agentsText(action.agents), action.action,
                action.subject,
            ])
            try write(change, now: now, db: db)
        }
    }

    static func insertNote(_ note: AgentNote, conversationId: String, db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO notes (conversation_id, agent_id, at, text) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [conversationId, note.agentId, note.at.timeIntervalSince1970, note.text])
    }

    /// Persists `effects`. An acceptance of a conversation from one of `writeBackSources` also stores a
    /// write-back, so the platform learns who took it even if the process dies right after the commit.
    /// - Parameter known: the conversation and customer as the caller just stored them in this transaction,
    ///   so that an offer of that conversation builds its handoff without reading them back.
    static func persist(
        _ effects: [RoutingEffect], now: Date, limits: HistoryLimits, writeBackSources: Set<String>,
        known: HandoffSubject? = nil, db: Database
    ) throws {
        for effect in effects {
            switch effect {
            case .offer(let offer):
                try persist(offer, now: now, limits: limits, known: known?.subject(of: offer), db: db)
            case .wait(let wait): try persist(wait, db: db)
            case .followUp(let followUp):
                try insertDelivery(HandoffBuilder.message(followUp, id: RoutingEngine.randomId("msg_")), now: now, db: db)
            case .accept(let acceptance):
                try db.cachedStatement(
                    sql: "UPDATE assignments SET status = \(AssignmentStatus.accepted.sql), accepted_at = ? WHERE handoff_id = ?"
                ).execute(arguments: [acceptance.at.timeIntervalSince1970, acceptance.handoffId])
                try db.cachedStatement(sql: "UPDATE conversations SET status = \(ConversationStatus.assigned.sql) WHERE id = ?").execute(
                    arguments: [acceptance.conversationId])
                try SQLiteWriteBacks.enqueue(acceptance, sources: writeBackSources, db: db)
            case .release(let release): try persist(release, db: db)
            }
        }
    }

    private static func persist(
        _ offer: Offer, now: Date, limits: HistoryLimits, known: HandoffSubject?, db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO assignments (handoff_id, conversation_id, agent_id, channel, assigned_at, status, deadline)
                VALUES (?, ?, ?, ?, ?, \(AssignmentStatus.offered.sql), ?)
                """
        ).execute(arguments: [
            offer.handoffId, offer.conversationId, offer.agentId, offer.channel, now.timeIntervalSince1970,
            offer.deadline.timeIntervalSince1970,
        ])
        try db.cachedStatement(
            sql: """
                UPDATE conversations SET status = \(ConversationStatus.offered.sql), agent_id = ?, handoff_id = ?, waiting_since = ?,
                    transfers = ?, priority = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            offer.agentId, offer.handoffId, offer.queuedAt.timeIntervalSince1970, offer.transfers, offer.priority,
            offer.conversationId,
        ])
        try db.cachedStatement(sql: "UPDATE agents SET last_assigned_at = ? WHERE id = ?").execute(arguments: [
            now.timeIntervalSince1970, offer.agentId,
        ])
        try insertDecision(offer.decision, conversationId: offer.conversationId, db: db)
        let context: HandoffContext?
        if let known {
            context = try self.context(known, limits: limits, now: now, db: db)
        } else {
            context = try self.context(conversationId: offer.conversationId, limits: limits, now: now, db: db)
        }
        guard let context else { return }
        try insertDelivery(HandoffBuilder.handoff(offer, context: context), now: now, db: db)
    }

    private static func persist(_ wait: Wait, db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE conversations SET status = \(ConversationStatus.waiting.sql), handoff_id = NULL, waiting_since = ?, priority = ? WHERE id = ?"
        ).execute(arguments: [wait.queuedAt.timeIntervalSince1970, wait.priority, wait.conversationId])
        if let decision = wait.decision { try insertDecision(decision, conversationId: wait.conversationId, db: db) }
    }

    private static func persist(_ release: Release, db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE assignments SET status = ?, released_at = ?, reason = ? WHERE handoff_id = ?"
        ).execute(arguments: [
            release.reason.status.rawValue, release.at.timeIntervalSince1970, release.reason.detail, release.handoffId,
        ])
        switch release.reason {
        case .declined, .lapsed:
            try db.cachedStatement(
                sql: """
                    INSERT INTO declines (conversation_id, agent_id, at, reason) VALUES (?, ?, ?, ?)
                    ON CONFLICT (conversation_id, agent_id) DO NOTHING
                    """
            ).execute(arguments: [
                release.conversationId, release.agentId, release.at.timeIntervalSince1970,
                release.reason.detail ?? release.reason.status.rawValue,
            ])
        case .resolved:
            try db.cachedStatement(
                sql: "UPDATE conversations SET status = \(ConversationStatus.resolved.sql), resolved_at = ?, handoff_id = NULL WHERE id = ?"
            ).execute(arguments: [release.at.timeIntervalSince1970, release.conversationId])
            try db.cachedStatement(sql: "DELETE FROM declines WHERE conversation_id = ?").execute(arguments: [
                release.conversationId
            ])
        case .withdrawn, .moved:
            break
        }
        if let notice = HandoffBuilder.notice(release) {
            try insertDelivery(notice, now: release.at, db: db)
        }
    }

    /// Everything a handoff carries about the conversation and its customer: the transcript, the
    /// notes, the customer's history on every channel (capped by `limits`) with its totals, and the
    /// promises not yet kept.
    static func context(conversationId: String, limits: HistoryLimits, now: Date, db: Database) throws -> HandoffContext? {
        guard let conversation = try SQLiteConversations.first(db, where: "id = ?", arguments: [conversationId]),
            let customer = try SQLiteCustomers.fetch(id: conversation.customerId, db: db)
        else { return nil }
        return try context(
            HandoffSubject(conversation: conversation, customer: customer), limits: limits, now: now, db: db)
    }

    /// The same, for a conversation and customer already at hand. A customer's first contact has nothing
    /// to read but its transcript: no other conversation, no notes, no promises.
    static func context(_ subject: HandoffSubject, limits: HistoryLimits, now: Date, db: Database) throws -> HandoffContext {
        if let context = subject.firstContactContext { return context }
        let (conversation, customer, conversationId) = (subject.conversation, subject.customer, subject.conversation.id)
        return HandoffContext(
            conversation: conversation, customer: customer,
            transcript: try SQLiteConversations.transcript(conversationId: conversationId, db: db),
            history: try SQLiteConversations.history(customerId: customer.id, excluding: conversationId, limits: limits, db: db),
            notes: try SQLiteConversations.notes(conversationId: conversationId, db: db),
            historySummary: try SQLiteConversations.historySummary(
                customerId: customer.id, excluding: conversationId, now: now, db: db),
            promises: try SQLitePromises.unkept(customerId: customer.id, db: db),
            followUp: try SQLitePromises.followedUp(by: conversationId, db: db))
    }

    /// The queries `context` runs, named, with the arguments it would pass for that conversation and
    /// customer (the history's agent notes with stand-in arguments).
    static func contextQueries(conversationId: String, customerId: String, limits: HistoryLimits)
        -> [(name: String, sql: String, arguments: StatementArguments)]
    {
        let promises = "SELECT \(SQLitePromises.columns) FROM promises WHERE "
        let entries = StatementArguments(Array(repeating: conversationId, count: limits.entries))
        return [
            ("conversation", "SELECT \(SQLiteConversations.columns) FROM conversations WHERE id = ?", [conversationId]),
            ("customer", SQLiteCustomers.customerSQL, [customerId]),
            ("customer's identities", SQLiteCustomers.identitiesSQL, [customerId]),
            ("transcript", SQLiteConversations.transcriptSQL, [conversationId]),
            ("history", SQLiteConversations.historySQL, [customerId, conversationId, limits.entries]),
            ("history's agent notes, one query", SQLiteConversations.notesSQL(count: limits.entries), entries),
            ("notes", SQLiteConversations.notesSQL, [conversationId]),
            ("history summary", SQLiteConversations.summarySQL, [customerId, conversationId]),
            ("last outcome", SQLiteConversations.lastOutcomeSQL, [customerId, conversationId]),
            ("unkept promises", promises + SQLitePromises.unkeptCondition, [customerId]),
            ("follow-up", promises + SQLitePromises.followedUpCondition, [conversationId]),
        ]
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
                VALUES (?, ?, ?, ?, ?, \(DeliveryStatus.pending.sql), ?, ?)
                """
        ).execute(arguments: [
            delivery.id, delivery.handoffId, delivery.agentId, delivery.kind, Data(delivery.payload),
            now.timeIntervalSince1970, now.timeIntervalSince1970,
        ])
    }
}
