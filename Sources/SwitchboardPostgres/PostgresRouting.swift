import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Persisting the routing engine's effects and the changes that cause them, inside the caller's transaction.
///
/// The rows are the SQLite store's, column for column and status for status: deliveries and write-backs
/// written here are sent (and marked) by the store's queue half.
enum PostgresRouting {
    static func write(_ change: StoreChange, now: Date, session: PostgresSession) async throws {
        session.touched?.record(change)
        switch change {
        case .none:
            break
        case .presence(let agentId, let status):
            try await session.execute("UPDATE agents SET status = \(status.rawValue) WHERE id = \(agentId)")
        case .agent(let agent):
            try await PostgresAgents.upsert(agent, session: session)
        case .resolution(let conversationId, let outcome, let notes, let promise):
            let holder = try await session.value(
                """
                UPDATE conversations SET outcome = \(outcome), notes = \(notes) WHERE id = \(conversationId)
                RETURNING agent_id
                """, as: String?.self)
            let agent = holder.flatMap { $0 } ?? ""
            if let notes, !notes.isEmpty {
                try await insertNote(
                    AgentNote(agentId: agent, at: now, text: notes), conversationId: conversationId, session: session)
            }
            try await PostgresPromises.keep(followUp: conversationId, now: now, session: session)
            if let promise {
                _ = try await PostgresPromises.insert(
                    promise, conversationId: conversationId, agentId: agent, now: now, session: session)
            }
        case .note(let conversationId, let note):
            try await insertNote(note, conversationId: conversationId, session: session)
        case .byDesk(let action, let change):
            try await session.execute(
                """
                INSERT INTO desk_actions (at, token_id, agents, action, subject)
                VALUES (\(action.at.timeIntervalSince1970), \(action.tokenId), \(DeskTokenRecord.agentsText(action.agents)),
                    \(action.action), \(action.subject))
                """)
            try await write(change, now: now, session: session)
        }
    }

    static func insertNote(_ note: AgentNote, conversationId: String, session: PostgresSession) async throws {
        try await session.execute(
            """
            INSERT INTO notes (conversation_id, agent_id, at, text)
            VALUES (\(conversationId), \(note.agentId), \(note.at.timeIntervalSince1970), \(note.text))
            """)
    }

    /// Persists `effects`. An acceptance of a conversation from one of `writeBackSources` also stores a
    /// write-back, so the platform learns who took it even if the process dies right after the commit.
    /// - Parameter known: the conversation and customer as the caller just stored them in this transaction,
    ///   so that an offer of that conversation builds its handoff without reading them back.
    static func persist(
        _ effects: [RoutingEffect], now: Date, limits: HistoryLimits, writeBackSources: Set<String>,
        known: HandoffSubject? = nil, session: PostgresSession
    ) async throws {
        session.touched?.record(effects)
        for effect in effects {
            switch effect {
            case .offer(let offer):
                try await persist(offer, now: now, limits: limits, known: known?.subject(of: offer), session: session)
            case .wait(let wait): try await persist(wait, session: session)
            case .followUp(let followUp):
                try await insertDelivery(
                    HandoffBuilder.message(followUp, id: RoutingEngine.randomId("msg_")), now: now, session: session)
            case .accept(let acceptance):
                try await session.execute(
                    """
                    UPDATE assignments SET status = \(unescaped: AssignmentStatus.accepted.sql), accepted_at = \(acceptance.at.timeIntervalSince1970)
                    WHERE handoff_id = \(acceptance.handoffId)
                    """)
                try await session.execute(
                    "UPDATE conversations SET status = \(unescaped: ConversationStatus.assigned.sql) WHERE id = \(acceptance.conversationId)")
                try await PostgresWriteBacks.enqueue(acceptance, sources: writeBackSources, session: session)
            case .release(let release): try await persist(release, session: session)
            }
        }
    }

    /// An offer's four writes (the assignment, the conversation, the agent's last assignment, the decision)
    /// go in one statement, a round trip instead of four on the busiest path; the handoff's context is read
    /// after, and its delivery stored. A customer's first contact has nothing to read: its handoff goes in the
    /// same statement.
    private static func persist(
        _ offer: Offer, now: Date, limits: HistoryLimits, known: HandoffSubject?, session: PostgresSession
    ) async throws {
        let decision = try StoreJSON.encode(offer.decision)
        let at = now.timeIntervalSince1970
        let handoff = known?.firstContactContext.map { HandoffBuilder.handoff(offer, context: $0) }
        // Without a handoff yet, the delivery's insert takes no row.
        let delivery = handoff ?? OutboundDelivery(id: "", agentId: "", handoffId: "", kind: "", payload: [])
        try await session.execute(
            """
            WITH assignment AS (
                INSERT INTO assignments (handoff_id, conversation_id, agent_id, channel, assigned_at, status, deadline)
                VALUES (\(offer.handoffId), \(offer.conversationId), \(offer.agentId), \(offer.channel),
                    \(at), \(unescaped: AssignmentStatus.offered.sql), \(offer.deadline.timeIntervalSince1970))
                RETURNING handoff_id
            ), agent AS (
                UPDATE agents SET last_assigned_at = \(at) WHERE id = \(offer.agentId)
                RETURNING id
            ), decision AS (
                INSERT INTO decisions (conversation_id, at, body)
                VALUES (\(offer.conversationId), \(offer.decision.at.timeIntervalSince1970), \(decision))
                RETURNING id
            ), delivery AS (
                INSERT INTO deliveries (id, handoff_id, agent_id, kind, payload, status, next_attempt_at, created_at)
                SELECT \(delivery.id), \(delivery.handoffId), \(delivery.agentId), \(delivery.kind), \(Data(delivery.payload)),
                    \(unescaped: DeliveryStatus.pending.sql), \(at), \(at)
                WHERE \(handoff != nil)
                RETURNING id
            )
            UPDATE conversations SET status = \(unescaped: ConversationStatus.offered.sql), agent_id = \(offer.agentId), handoff_id = \(offer.handoffId),
                waiting_since = \(offer.queuedAt.timeIntervalSince1970), transfers = \(offer.transfers),
                priority = \(offer.priority)
            WHERE id = \(offer.conversationId)
            """)
        if handoff != nil { return }
        let context: HandoffContext?
        if let known {
            context = try await self.context(known, limits: limits, now: now, session: session)
        } else {
            context = try await self.context(conversationId: offer.conversationId, limits: limits, now: now, session: session)
        }
        guard let context else { return }
        try await insertDelivery(HandoffBuilder.handoff(offer, context: context), now: now, session: session)
    }

    private static func persist(_ wait: Wait, session: PostgresSession) async throws {
        try await session.execute(
            """
            UPDATE conversations SET status = \(unescaped: ConversationStatus.waiting.sql), handoff_id = NULL,
                waiting_since = \(wait.queuedAt.timeIntervalSince1970), priority = \(wait.priority)
            WHERE id = \(wait.conversationId)
            """)
        if let decision = wait.decision {
            try await insertDecision(decision, conversationId: wait.conversationId, session: session)
        }
    }

    private static func persist(_ release: Release, session: PostgresSession) async throws {
        let at = release.at.timeIntervalSince1970
        try await session.execute(
            """
            UPDATE assignments SET status = \(release.reason.status.rawValue), released_at = \(at), reason = \(release.reason.detail)
            WHERE handoff_id = \(release.handoffId)
            """)
        switch release.reason {
        case .declined, .lapsed:
            try await session.execute(
                """
                INSERT INTO declines (conversation_id, agent_id, at, reason)
                VALUES (\(release.conversationId), \(release.agentId), \(at),
                    \(release.reason.detail ?? release.reason.status.rawValue))
                ON CONFLICT (conversation_id, agent_id) DO NOTHING
                """)
        case .resolved:
            try await session.execute(
                """
                UPDATE conversations SET status = \(unescaped: ConversationStatus.resolved.sql), resolved_at = \(at), handoff_id = NULL
                WHERE id = \(release.conversationId)
                """)
            try await session.execute("DELETE FROM declines WHERE conversation_id = \(release.conversationId)")
        case .withdrawn, .moved:
            break
        }
        if let notice = HandoffBuilder.notice(release) {
            try await insertDelivery(notice, now: release.at, session: session)
        }
    }

    /// Everything a handoff carries about the conversation and its customer: the transcript, the
    /// notes, the customer's history on every channel (capped by `limits`) with its totals, and the
    /// promises not yet kept.
    static func context(
        conversationId: String, limits: HistoryLimits, now: Date, session: PostgresSession
    ) async throws -> HandoffContext? {
        guard let (conversation, _) = try await PostgresConversations.fetch(id: conversationId, session: session),
            let customer = try await PostgresCustomers.fetch(id: conversation.customerId, session: session)
        else { return nil }
        return try await context(
            HandoffSubject(conversation: conversation, customer: customer), limits: limits, now: now, session: session)
    }

    /// The same, for a conversation and customer already at hand. A customer's first contact has nothing
    /// to read but its transcript: no other conversation, no notes, no promises.
    static func context(
        _ subject: HandoffSubject, limits: HistoryLimits, now: Date, session: PostgresSession
    ) async throws -> HandoffContext {
        if let context = subject.firstContactContext { return context }
        let (conversation, customer, conversationId) = (subject.conversation, subject.customer, subject.conversation.id)
        return HandoffContext(
            conversation: conversation, customer: customer,
            transcript: try await PostgresConversations.transcript(conversationId: conversationId, session: session),
            history: try await PostgresConversations.history(
                customerId: customer.id, excluding: conversationId, limits: limits, session: session),
            notes: try await PostgresConversations.notes(conversationId: conversationId, session: session),
            historySummary: try await PostgresConversations.historySummary(
                customerId: customer.id, excluding: conversationId, now: now, session: session),
            promises: try await PostgresPromises.unkept(customerId: customer.id, session: session),
            followUp: try await PostgresPromises.followedUp(by: conversationId, session: session))
    }

    static func insertDecision(_ decision: Decision, conversationId: String, session: PostgresSession) async throws {
        let body = try StoreJSON.encode(decision)
        try await session.execute(
            """
            INSERT INTO decisions (conversation_id, at, body)
            VALUES (\(conversationId), \(decision.at.timeIntervalSince1970), \(body))
            """)
    }

    static func insertDelivery(_ delivery: OutboundDelivery, now: Date, session: PostgresSession) async throws {
        let at = now.timeIntervalSince1970
        try await session.execute(
            """
            INSERT INTO deliveries (id, handoff_id, agent_id, kind, payload, status, next_attempt_at, created_at)
            VALUES (\(delivery.id), \(delivery.handoffId), \(delivery.agentId), \(delivery.kind), \(Data(delivery.payload)),
                \(unescaped: DeliveryStatus.pending.sql), \(at), \(at))
            """)
    }
}
