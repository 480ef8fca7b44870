import Foundation
import SwitchboardCore
import SwitchboardStore

/// Persisting the routing engine's effects and the changes that cause them, inside the caller's transaction,
/// and reading back what the engine is rebuilt from and what a handoff carries.
package enum SQLRouting {
    static func write(_ change: StoreChange, now: Date, session: some SQLSession) async throws {
        session.touched?.record(change)
        switch change {
        case .none:
            break
        case .presence(let agentId, let status):
            try await session.execute("UPDATE agents SET status = \(status.rawValue) WHERE id = \(agentId)")
        case .agent(let agent):
            try await SQLAgents.upsert(agent, session: session)
        case .resolution(let conversationId, let outcome, let notes, let promise):
            let holder = try await session.value(
                "UPDATE conversations SET outcome = \(outcome), notes = \(notes) WHERE id = \(conversationId) RETURNING agent_id",
                as: String?.self)
            let agent = holder.flatMap { $0 } ?? ""
            if let notes, !notes.isEmpty {
                try await SQLConversations.insertNote(
                    AgentNote(agentId: agent, at: now, text: notes), conversationId: conversationId, session: session)
            }
            try await SQLPromises.keep(followUp: conversationId, now: now, session: session)
            if let promise {
                _ = try await SQLPromises.insert(
                    promise, conversationId: conversationId, agentId: agent, now: now, session: session)
            }
        case .note(let conversationId, let note):
            try await SQLConversations.insertNote(note, conversationId: conversationId, session: session)
        case .byDesk(let action, let change):
            try await session.execute(
                """
                INSERT INTO desk_actions (at, token_id, agents, action, subject)
                VALUES (\(action.at), \(action.tokenId), \(DeskTokenRecord.agentsText(action.agents)), \(action.action),
                    \(action.subject))
                """)
            try await write(change, now: now, session: session)
        }
    }

    /// Persists `effects`. An acceptance of a conversation from one of `writeBackSources` also stores a
    /// write-back, so the platform learns who took it even if the process dies right after the commit.
    /// - Parameter known: the conversation and customer as the caller just stored them in this transaction,
    ///   so that an offer of that conversation builds its handoff without reading them back.
    static func persist(
        _ effects: [RoutingEffect], now: Date, limits: HistoryLimits, writeBackSources: Set<String>,
        known: HandoffSubject? = nil, session: some SQLSession
    ) async throws {
        session.touched?.record(effects)
        for effect in effects {
            switch effect {
            case .offer(let offer):
                try await persist(offer, now: now, limits: limits, known: known?.subject(of: offer), session: session)
            case .wait(let wait):
                try await persist(wait, session: session)
            case .followUp(let followUp):
                try await insertDelivery(
                    HandoffBuilder.message(followUp, id: RoutingEngine.randomId("msg_")), now: now, session: session)
            case .accept(let acceptance):
                try await session.execute(
                    """
                    UPDATE assignments SET status = \(unescaped: AssignmentStatus.accepted.sql), accepted_at = \(acceptance.at)
                    WHERE handoff_id = \(acceptance.handoffId)
                    """)
                try await session.execute(
                    "UPDATE conversations SET status = \(unescaped: ConversationStatus.assigned.sql) WHERE id = \(acceptance.conversationId)")
                try await enqueueWriteBack(acceptance, sources: writeBackSources, session: session)
            case .release(let release):
                try await persist(release, session: session)
            }
        }
    }

    /// An offer's writes: the assignment, the conversation, the agent's last assignment, the decision, and,
    /// for a customer's first contact (nothing to read for it), the handoff's delivery; PostgreSQL takes them in
    /// one statement, a round trip instead of five on the busiest path. Otherwise the handoff's context is read
    /// after, and its delivery stored.
    private static func persist(
        _ offer: Offer, now: Date, limits: HistoryLimits, known: HandoffSubject?, session: some SQLSession
    ) async throws {
        let decision = try StoreJSON.encode(offer.decision)
        let handoff = known?.firstContactContext.map { HandoffBuilder.handoff(offer, context: $0) }
        let assignment: SQL = """
            INSERT INTO assignments (handoff_id, conversation_id, agent_id, channel, assigned_at, status, deadline)
            VALUES (\(offer.handoffId), \(offer.conversationId), \(offer.agentId), \(offer.channel), \(now),
                \(unescaped: AssignmentStatus.offered.sql), \(offer.deadline))
            """
        let agent: SQL = "UPDATE agents SET last_assigned_at = \(now) WHERE id = \(offer.agentId)"
        let decisionInsert: SQL = """
            INSERT INTO decisions (conversation_id, at, body) VALUES (\(offer.conversationId), \(offer.decision.at), \(decision))
            """
        let conversation: SQL = """
            UPDATE conversations SET status = \(unescaped: ConversationStatus.offered.sql), agent_id = \(offer.agentId),
                handoff_id = \(offer.handoffId), waiting_since = \(offer.queuedAt), transfers = \(offer.transfers),
                priority = \(offer.priority)
            WHERE id = \(offer.conversationId)
            """
        switch session.dialect {
        case .postgres:
            let delivery: SQL = handoff.map { ", delivery AS (\(deliveryInsert($0, now: now)) RETURNING id)" } ?? ""
            try await session.execute(
                """
                WITH assignment AS (\(assignment) RETURNING handoff_id), agent AS (\(agent) RETURNING id),
                    decision AS (\(decisionInsert) RETURNING id)\(delivery)
                \(conversation)
                """)
        case .sqlite:
            for statement in [assignment, conversation, agent, decisionInsert] { try await session.execute(statement) }
            if let handoff { try await session.execute(deliveryInsert(handoff, now: now)) }
        }
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

    private static func persist(_ wait: Wait, session: some SQLSession) async throws {
        try await session.execute(
            """
            UPDATE conversations SET status = \(unescaped: ConversationStatus.waiting.sql), handoff_id = NULL,
                waiting_since = \(wait.queuedAt), priority = \(wait.priority)
            WHERE id = \(wait.conversationId)
            """)
        if let decision = wait.decision {
            try await insertDecision(decision, conversationId: wait.conversationId, session: session)
        }
    }

    private static func persist(_ release: Release, session: some SQLSession) async throws {
        try await session.execute(
            """
            UPDATE assignments SET status = \(release.reason.status.rawValue), released_at = \(release.at),
                reason = \(release.reason.detail)
            WHERE handoff_id = \(release.handoffId)
            """)
        switch release.reason {
        case .declined, .lapsed:
            try await session.execute(
                """
                INSERT INTO declines (conversation_id, agent_id, at, reason)
                VALUES (\(release.conversationId), \(release.agentId), \(release.at),
                    \(release.reason.detail ?? release.reason.status.rawValue))
                ON CONFLICT (conversation_id, agent_id) DO NOTHING
                """)
        case .resolved:
            try await session.execute(
                """
                UPDATE conversations SET status = \(unescaped: ConversationStatus.resolved.sql), resolved_at = \(release.at),
                    handoff_id = NULL
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

    /// Stores a write-back for an acceptance when its conversation's source is one of `sources`, replacing one
    /// still pending for the same conversation (only the last agent who accepted should be named).
    private static func enqueueWriteBack(
        _ acceptance: Acceptance, sources: Set<String>, session: some SQLSession
    ) async throws {
        guard !sources.isEmpty,
            let (source, externalId) = try await session.row(
                "SELECT source, external_id FROM conversations WHERE id = \(acceptance.conversationId)",
                as: (String, String).self),
            sources.contains(source)
        else { return }
        try await session.execute(
            """
            UPDATE write_backs SET status = \(unescaped: WriteBackStatus.superseded.sql), finished_at = \(acceptance.at)
            WHERE conversation_id = \(acceptance.conversationId) AND status = \(unescaped: WriteBackStatus.pending.sql)
            """)
        try await session.execute(
            """
            INSERT INTO write_backs (id, handoff_id, conversation_id, source, external_id, agent_id, status,
                next_attempt_at, created_at)
            VALUES (\(RoutingEngine.randomId("wb_")), \(acceptance.handoffId), \(acceptance.conversationId), \(source),
                \(externalId), \(acceptance.agentId), \(unescaped: WriteBackStatus.pending.sql), \(acceptance.at),
                \(acceptance.at))
            """)
    }

    /// Everything a handoff carries about the conversation and its customer: the transcript, the
    /// notes, the customer's history on every channel (capped by `limits`) with its totals, and the
    /// promises not yet kept.
    package static func context(
        conversationId: String, limits: HistoryLimits, now: Date, session: some SQLSession
    ) async throws -> HandoffContext? {
        guard let (conversation, _) = try await SQLConversations.fetch(id: conversationId, session: session),
            let customer = try await SQLCustomers.fetch(id: conversation.customerId, session: session)
        else { return nil }
        return try await context(
            HandoffSubject(conversation: conversation, customer: customer), limits: limits, now: now, session: session)
    }

    /// The same, for a conversation and customer already at hand. A customer's first contact has nothing
    /// to read but its transcript: no other conversation, no notes, no promises.
    static func context(
        _ subject: HandoffSubject, limits: HistoryLimits, now: Date, session: some SQLSession
    ) async throws -> HandoffContext {
        if let context = subject.firstContactContext { return context }
        let (conversation, customer, conversationId) = (subject.conversation, subject.customer, subject.conversation.id)
        return HandoffContext(
            conversation: conversation, customer: customer,
            transcript: try await SQLConversations.transcript(conversationId: conversationId, session: session),
            history: try await SQLConversations.history(
                customerId: customer.id, excluding: conversationId, limits: limits, session: session),
            notes: try await SQLConversations.notes(conversationId: conversationId, session: session),
            historySummary: try await SQLConversations.historySummary(
                customerId: customer.id, excluding: conversationId, now: now, session: session),
            promises: try await SQLPromises.unkept(customerId: customer.id, session: session),
            followUp: try await SQLPromises.followedUp(by: conversationId, session: session))
    }

    static func insertDecision(_ decision: Decision, conversationId: String, session: some SQLSession) async throws {
        let body = try StoreJSON.encode(decision)
        try await session.execute(
            "INSERT INTO decisions (conversation_id, at, body) VALUES (\(conversationId), \(decision.at), \(body))")
    }

    private static func deliveryInsert(_ delivery: OutboundDelivery, now: Date) -> SQL {
        """
        INSERT INTO deliveries (id, handoff_id, agent_id, kind, payload, status, next_attempt_at, created_at)
        VALUES (\(delivery.id), \(delivery.handoffId), \(delivery.agentId), \(delivery.kind), \(delivery.payload),
            \(unescaped: DeliveryStatus.pending.sql), \(now), \(now))
        """
    }

    static func insertDelivery(_ delivery: OutboundDelivery, now: Date, session: some SQLSession) async throws {
        try await session.execute(deliveryInsert(delivery, now: now))
    }

    /// What the routing engine is rebuilt from.
    package static func state(_ session: some SQLSession) async throws -> RoutingState {
        RoutingState(agents: try await SQLAgents.snapshots(session), open: try await openConversations(session))
    }

    /// The conversations not resolved, in the order they wait, with their declines and holdings; with `ids`,
    /// those of them only.
    package static func openConversations(_ session: some SQLSession, ids: [String]? = nil) async throws -> [OpenConversation] {
        var declines: [String: Set<String>] = [:]
        let declineFilter: SQL = ids.map { ids -> SQL in " WHERE conversation_id IN \(in: ids)" } ?? ""
        for (conversationId, agentId) in try await session.rows(
            "SELECT conversation_id, agent_id FROM declines\(declineFilter)", as: (String, String).self)
        {
            declines[conversationId, default: []].insert(agentId)
        }
        var holdings: [String: OpenConversation.Holding] = [:]
        let holdingFilter: SQL = ids.map { ids -> SQL in " AND conversation_id IN \(in: ids)" } ?? ""
        for (handoffId, conversationId, agentId, status, deadline) in try await session.rows(
            """
            SELECT handoff_id, conversation_id, agent_id, status, deadline FROM assignments
            WHERE released_at IS NULL\(holdingFilter)
            """, as: (String, String, String, String, Date?).self)
        {
            holdings[conversationId] = OpenConversation.Holding(
                agentId: agentId, handoffId: handoffId, accepted: status == AssignmentStatus.accepted.rawValue,
                deadline: deadline ?? Date(timeIntervalSince1970: 0))
        }
        let filter: SQL = ids.map { ids -> SQL in " AND id IN \(in: ids)" } ?? ""
        return try await SQLConversations.fetch(
            """
            status != \(unescaped: ConversationStatus.resolved.sql)\(filter)
            ORDER BY waiting_since NULLS FIRST, \(SQL.storedOrder("conversations"))
            """, session: session
        ).map { conversation, message in
            OpenConversation(
                conversation, message: message, declined: declines[conversation.id] ?? [],
                holding: holdings[conversation.id])
        }
    }
}
