import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Conversations, their messages, and a customer's history.
///
/// SQLite's `rowid` order is the `position` column here; SQLite sorts NULL first, so ascending orders
/// on a column that may be NULL say `NULLS FIRST` and descending ones `NULLS LAST`.
enum PostgresConversations {
    static let columns = """
        id, source, external_id, channel, customer_id, started_at, status, agent_id, handoff_id, waiting_since,
        transfers, attributes, last_message, outcome, notes, previous_agent_id, priority, hold_for_previous
        """

    /// The conversation for a message, created when new (recognised by `identity`) with the message as its
    /// first, in one statement; a known one gets the message through ``addMessage(_:conversationId:author:session:)``.
    /// A resolved conversation that hears from the customer again reopens and waits for an agent. Whether it is
    /// known comes from `lookup`, which learns the conversations created.
    static func upsert(
        _ message: InboundMessage, customerId: String, identity: Identity?, receivedAt: Date,
        lookup: inout PostgresBatchLookup, session: PostgresSession
    ) async throws -> (Conversation, isNew: Bool) {
        let last = try StoreJSON.encode(message)
        if lookup.exists(message),
            let (known, _) = try await fetch(
                session,
                """
                SELECT \(unescaped: columns) FROM conversations
                WHERE source = \(message.source) AND external_id = \(message.conversationId)
                """
            ).first
        {
            let conversation = ConversationUpsert.update(known, with: message, receivedAt: receivedAt)
            let attributes = try StoreJSON.encode(conversation.attributes)
            try await session.execute(
                """
                UPDATE conversations SET status = \(conversation.status.rawValue),
                    waiting_since = \(conversation.waitingSince?.timeIntervalSince1970),
                    handoff_id = \(conversation.handoffId), attributes = \(attributes), last_message = \(last)
                WHERE id = \(conversation.id)
                """)
            return (conversation, false)
        }
        let conversation = ConversationUpsert.start(with: message, customerId: customerId, receivedAt: receivedAt)
        try await insert(conversation, lastMessage: last, identity: identity, first: message, session: session)
        lookup.created(message)
        return (conversation, true)
    }

    /// Inserts a new, waiting conversation with its first message, in one statement. A customer's message sets
    /// the conversation's latest message time, as ``addMessage(_:conversationId:author:session:)`` does.
    static func insert(
        _ conversation: Conversation, lastMessage: Data, identity: Identity?, first message: InboundMessage,
        author: String = "customer", session: PostgresSession
    ) async throws {
        let attributes = try StoreJSON.encode(conversation.attributes)
        let sentAt = message.sentAt.timeIntervalSince1970
        try await session.execute(
            """
            WITH conversation AS (
                INSERT INTO conversations (id, source, external_id, channel, customer_id, started_at, status,
                    waiting_since, attributes, last_message, identity, previous_agent_id, hold_for_previous, last_message_at)
                VALUES (\(conversation.id), \(conversation.source), \(conversation.externalId), \(conversation.channel),
                    \(conversation.customerId), \(conversation.startedAt.timeIntervalSince1970), \(unescaped: ConversationStatus.waiting.sql),
                    \(conversation.waitingSince?.timeIntervalSince1970), \(attributes), \(lastMessage), \(identity?.description),
                    \(conversation.previousAgentId), \(conversation.holdForPrevious), \(author == "customer" ? sentAt : nil))
                RETURNING id
            )
            INSERT INTO messages (conversation_id, message_id, author, text, sent_at)
            SELECT id, \(message.messageId), \(author), \(message.text), \(sentAt) FROM conversation
            """)
    }

    /// Adds a message (the customer's, or Switchboard's on a follow-up); false when the conversation
    /// already has a message with that id.
    static func addMessage(
        _ message: InboundMessage, conversationId: String, author: String = "customer", session: PostgresSession
    ) async throws -> Bool {
        // One statement: the insert, and the customer's latest message time when it inserted something.
        let sentAt = message.sentAt.timeIntervalSince1970
        return try await session.value(
            """
            WITH inserted AS (
                INSERT INTO messages (conversation_id, message_id, author, text, sent_at)
                VALUES (\(conversationId), \(message.messageId), \(author), \(message.text), \(sentAt))
                ON CONFLICT (conversation_id, message_id) DO NOTHING
                RETURNING author
            ), touched AS (
                UPDATE conversations SET last_message_at = GREATEST(COALESCE(last_message_at, 0), \(sentAt))
                WHERE id = \(conversationId) AND EXISTS (SELECT 1 FROM inserted WHERE author = 'customer')
                RETURNING id
            )
            SELECT EXISTS (SELECT 1 FROM inserted)
            """, as: Bool.self) ?? false
    }

    static func transcript(conversationId: String, session: PostgresSession) async throws -> [TranscriptMessage] {
        try await session.rows(
            """
            SELECT message_id, author, text, sent_at FROM messages WHERE conversation_id = \(conversationId)
            ORDER BY sent_at, seq
            """, as: (String, String, String, Double).self
        ).map { id, author, text, sentAt in
            TranscriptMessage(id: id, from: author, text: text, sentAt: Date(timeIntervalSince1970: sentAt))
        }
    }

    /// The customer's other conversations on every channel and source, newest first, each with its
    /// first message and the notes agents left on it; at most `limits.entries`, each text capped.
    static func history(
        customerId: String, excluding: String, limits: HistoryLimits, session: PostgresSession
    ) async throws -> [HistoryEntry] {
        var entries = try await session.rows(
            """
            SELECT c.id, c.source, c.channel, c.started_at, c.status, c.outcome, c.notes, c.agent_id, c.transfers,
                (SELECT text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.sent_at, m.seq LIMIT 1)
            FROM conversations c
            WHERE c.customer_id = \(customerId) AND c.id != \(excluding)
            ORDER BY c.started_at DESC, c.position DESC
            LIMIT \(limits.entries)
            """,
            as: (String, String, String, Double, String, String?, String?, String?, Int, String?).self
        ).map { id, source, channel, startedAt, status, outcome, notes, agentId, transfers, firstMessage in
            HistoryEntry(
                id: id, source: source, channel: channel, startedAt: Date(timeIntervalSince1970: startedAt),
                firstMessage: limits.cap(firstMessage ?? ""), status: ConversationStatus(rawValue: status) ?? .waiting,
                outcome: outcome, notes: notes.map(limits.cap), agentId: agentId, transfers: transfers)
        }
        let agentNotes = try await notes(conversationIds: entries.map(\.id), session: session)
        for index in entries.indices {
            entries[index].agentNotes = (agentNotes[entries[index].id] ?? []).map { note in
                AgentNote(agentId: note.agentId, at: note.at, text: limits.cap(note.text))
            }
        }
        return entries
    }

    /// Notes agents left on each of the conversations, oldest first: one query for all of them.
    static func notes(conversationIds: [String], session: PostgresSession) async throws -> [String: [AgentNote]] {
        guard !conversationIds.isEmpty else { return [:] }
        var notes: [String: [AgentNote]] = [:]
        for (conversationId, agentId, at, text) in try await session.rows(
            """
            SELECT conversation_id, agent_id, at, text FROM notes
            WHERE conversation_id = ANY(\(conversationIds)) ORDER BY id
            """, as: (String, String, Double, String).self)
        {
            notes[conversationId, default: []].append(
                AgentNote(agentId: agentId, at: Date(timeIntervalSince1970: at), text: text))
        }
        return notes
    }

    /// Totals over all the customer's other conversations.
    static func historySummary(
        customerId: String, excluding: String, now: Date, session: PostgresSession
    ) async throws -> HistorySummary {
        // The totals and the last outcome in one statement: the two queries of SQLite's store, the second a subquery.
        guard
            let (count, transfers, last, outcome) = try await session.row(
                """
                SELECT COUNT(*), COALESCE(SUM(transfers), 0)::BIGINT, MAX(last_message_at),
                    (SELECT outcome FROM conversations
                        WHERE customer_id = \(customerId) AND status = \(unescaped: ConversationStatus.resolved.sql) AND id != \(excluding)
                        ORDER BY resolved_at DESC NULLS LAST LIMIT 1)
                FROM conversations WHERE customer_id = \(customerId) AND id != \(excluding)
                """, as: (Int, Int, Double?, String?).self)
        else { return HistorySummary() }
        let lastContact = last.map(Date.init(timeIntervalSince1970:))
        return HistorySummary(
            conversations: count, transfers: transfers, lastOutcome: outcome, lastContactAt: lastContact,
            secondsSinceLastContact: lastContact.map { max(0, Int(now.timeIntervalSince($0))) })
    }

    /// Sets the conversation's previous agent to the agent of the customer's most recent other conversation
    /// that had one, and returns it.
    static func recordPreviousAgent(
        conversationId: String, customerId: String, session: PostgresSession
    ) async throws -> String? {
        try await session.value(
            """
            UPDATE conversations SET previous_agent_id = (
                SELECT agent_id FROM conversations
                WHERE customer_id = \(customerId) AND id != \(conversationId) AND agent_id IS NOT NULL
                ORDER BY started_at DESC, position DESC LIMIT 1)
            WHERE id = \(conversationId)
            RETURNING previous_agent_id
            """, as: String?.self) ?? nil
    }

    /// Notes agents left on the conversation, oldest first.
    static func notes(conversationId: String, session: PostgresSession) async throws -> [AgentNote] {
        try await session.rows(
            "SELECT agent_id, at, text FROM notes WHERE conversation_id = \(conversationId) ORDER BY id",
            as: (String, Double, String).self
        ).map { agentId, at, text in AgentNote(agentId: agentId, at: Date(timeIntervalSince1970: at), text: text) }
    }

    /// The conversation with that id, with the last message it received.
    static func fetch(id: String, session: PostgresSession) async throws -> (Conversation, InboundMessage)? {
        try await fetch(session, "SELECT \(unescaped: columns) FROM conversations WHERE id = \(id)").first
    }

    /// Conversations a query selects (its columns: ``columns``), each with the last message it received.
    static func fetch(_ session: PostgresSession, _ query: PostgresQuery) async throws -> [(Conversation, InboundMessage)] {
        try await session.rows(
            query,
            as: (
                String, String, String, String, String, Double, String, String?, String?, Double?, Int, Data, Data,
                String?, String?, String?, Int, Double?
            ).self
        ).map { row in
            let (
                id, source, externalId, channel, customerId, startedAt, status, agentId, handoffId, waitingSince,
                transfers, attributes, lastMessage, outcome, notes, previousAgentId, priority, holdForPrevious
            ) = row
            let conversation = Conversation(
                id: id, source: source, externalId: externalId, channel: channel, customerId: customerId,
                startedAt: Date(timeIntervalSince1970: startedAt), status: ConversationStatus(rawValue: status) ?? .waiting,
                agentId: agentId, handoffId: handoffId, waitingSince: waitingSince.map(Date.init(timeIntervalSince1970:)),
                transfers: transfers, attributes: try StoreJSON.decode([String: Value].self, from: attributes),
                outcome: outcome, notes: notes, previousAgentId: previousAgentId, priority: priority,
                holdForPrevious: holdForPrevious)
            return (conversation, try StoreJSON.decode(InboundMessage.self, from: lastMessage))
        }
    }
}
