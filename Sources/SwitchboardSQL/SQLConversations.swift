import Foundation
import SwitchboardCore
import SwitchboardStore

/// Conversations, their messages, and a customer's history, inside the caller's transaction.
///
/// The order rows were stored in is SQLite's `rowid` and PostgreSQL's `position` (``SQL/storedOrder(_:)``);
/// ascending orders on a column that may be NULL say `NULLS FIRST` and descending ones `NULLS LAST`, as
/// SQLite sorts them by default, and text is compared byte by byte (``SQL/bytewise``).
package enum SQLConversations {
    static let columns: SQL = """
        id, source, external_id, channel, customer_id, started_at, status, agent_id, handoff_id, waiting_since,
        transfers, attributes, last_message, outcome, notes, previous_agent_id, priority, hold_for_previous
        """

    /// The conversation for a message, created when new (recognised by `identity`) with the message as its
    /// first; a known one gets the message through ``addMessage(_:conversationId:author:session:)``. A resolved
    /// conversation that hears from the customer again reopens and waits for an agent. Whether it is known comes
    /// from `lookup`, which learns the conversations created.
    static func upsert(
        _ message: InboundMessage, customerId: String, identity: Identity?, receivedAt: Date,
        lookup: inout SQLBatchLookup, session: some SQLSession
    ) async throws -> (Conversation, isNew: Bool) {
        let last = try StoreJSON.encode(message)
        if lookup.exists(message),
            let (known, _) = try await fetch(
                "source = \(message.source) AND external_id = \(message.conversationId)", session: session
            ).first
        {
            let conversation = ConversationUpsert.update(known, with: message, receivedAt: receivedAt)
            let attributes = try StoreJSON.encode(conversation.attributes)
            try await session.execute(
                """
                UPDATE conversations SET status = \(conversation.status.rawValue), waiting_since = \(conversation.waitingSince),
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

    /// Inserts a new, waiting conversation with its first message. A customer's message sets the
    /// conversation's latest message time, as ``addMessage(_:conversationId:author:session:)`` does.
    /// PostgreSQL takes both in one statement.
    static func insert(
        _ conversation: Conversation, lastMessage: Data, identity: Identity?, first message: InboundMessage,
        author: String = "customer", session: some SQLSession
    ) async throws {
        let attributes = try StoreJSON.encode(conversation.attributes)
        let insert: SQL = """
            INSERT INTO conversations (id, source, external_id, channel, customer_id, started_at, status,
                waiting_since, attributes, last_message, identity, previous_agent_id, hold_for_previous, last_message_at)
            VALUES (\(conversation.id), \(conversation.source), \(conversation.externalId), \(conversation.channel),
                \(conversation.customerId), \(conversation.startedAt), \(unescaped: ConversationStatus.waiting.sql),
                \(conversation.waitingSince), \(attributes), \(lastMessage), \(identity?.description),
                \(conversation.previousAgentId), \(conversation.holdForPrevious), \(author == "customer" ? message.sentAt : nil))
            """
        switch session.dialect {
        case .postgres:
            try await session.execute(
                """
                WITH conversation AS (\(insert) RETURNING id)
                INSERT INTO messages (conversation_id, message_id, author, text, sent_at)
                SELECT id, \(message.messageId), \(author), \(message.text), \(message.sentAt) FROM conversation
                """)
        case .sqlite:
            try await session.execute(insert)
            try await session.execute(
                """
                INSERT INTO messages (conversation_id, message_id, author, text, sent_at)
                VALUES (\(conversation.id), \(message.messageId), \(author), \(message.text), \(message.sentAt))
                """)
        }
    }

    /// Adds a message (the customer's, or Switchboard's on a follow-up); false when the conversation
    /// already has a message with that id. A customer's message moves the conversation's latest message time
    /// (PostgreSQL: in the same statement).
    static func addMessage(
        _ message: InboundMessage, conversationId: String, author: String = "customer", session: some SQLSession
    ) async throws -> Bool {
        let insert: SQL = """
            INSERT INTO messages (conversation_id, message_id, author, text, sent_at)
            VALUES (\(conversationId), \(message.messageId), \(author), \(message.text), \(message.sentAt))
            ON CONFLICT (conversation_id, message_id) DO NOTHING
            RETURNING author
            """
        switch session.dialect {
        case .postgres:
            return try await session.value(
                """
                WITH inserted AS (\(insert)), touched AS (
                    UPDATE conversations SET last_message_at = GREATEST(COALESCE(last_message_at, 0), \(message.sentAt))
                    WHERE id = \(conversationId) AND EXISTS (SELECT 1 FROM inserted WHERE author = 'customer')
                    RETURNING id
                )
                SELECT COUNT(*) FROM inserted
                """, as: Int.self) == 1
        case .sqlite:
            guard try await session.value(insert, as: String.self) != nil else { return false }
            if author == "customer" {
                try await session.execute(
                    """
                    UPDATE conversations SET last_message_at = MAX(COALESCE(last_message_at, 0), \(message.sentAt))
                    WHERE id = \(conversationId)
                    """)
            }
            return true
        }
    }

    static func transcript(conversationId: String, session: some SQLSession) async throws -> [TranscriptMessage] {
        try await session.rows(
            """
            SELECT message_id, author, text, sent_at FROM messages WHERE conversation_id = \(conversationId)
            ORDER BY sent_at, seq
            """, as: (String, String, String, Date).self
        ).map { id, author, text, sentAt in TranscriptMessage(id: id, from: author, text: text, sentAt: sentAt) }
    }

    /// The customer's other conversations on every channel and source, newest first, each with its
    /// first message and the notes agents left on it; at most `limits.entries`, each text capped.
    static func history(
        customerId: String, excluding: String, limits: HistoryLimits, session: some SQLSession
    ) async throws -> [HistoryEntry] {
        var entries = try await session.rows(
            """
            SELECT c.id, c.source, c.channel, c.started_at, c.status, c.outcome, c.notes, c.agent_id, c.transfers,
                (SELECT text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.sent_at, m.seq LIMIT 1)
            FROM conversations c
            WHERE c.customer_id = \(customerId) AND c.id != \(excluding)
            ORDER BY c.started_at DESC, \(SQL.storedOrder("c")) DESC
            LIMIT \(limits.entries)
            """, as: (String, String, String, Date, String, String?, String?, String?, Int, String?).self
        ).map { id, source, channel, startedAt, status, outcome, notes, agentId, transfers, firstMessage in
            HistoryEntry(
                id: id, source: source, channel: channel, startedAt: startedAt,
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
    static func notes(conversationIds: [String], session: some SQLSession) async throws -> [String: [AgentNote]] {
        guard !conversationIds.isEmpty else { return [:] }
        var notes: [String: [AgentNote]] = [:]
        for (conversationId, agentId, at, text) in try await session.rows(
            "SELECT conversation_id, agent_id, at, text FROM notes WHERE conversation_id IN \(in: conversationIds) ORDER BY id",
            as: (String, String, Date, String).self)
        {
            notes[conversationId, default: []].append(AgentNote(agentId: agentId, at: at, text: text))
        }
        return notes
    }

    /// Totals over all the customer's other conversations, and the last outcome, in one statement.
    static func historySummary(
        customerId: String, excluding: String, now: Date, session: some SQLSession
    ) async throws -> HistorySummary {
        guard
            let (count, transfers, last, outcome) = try await session.row(
                """
                SELECT COUNT(*), COALESCE(SUM(transfers), 0), MAX(last_message_at),
                    (SELECT outcome FROM conversations
                        WHERE customer_id = \(customerId) AND status = \(unescaped: ConversationStatus.resolved.sql) AND id != \(excluding)
                        ORDER BY resolved_at DESC NULLS LAST LIMIT 1)
                FROM conversations WHERE customer_id = \(customerId) AND id != \(excluding)
                """, as: (Int, Int, Date?, String?).self)
        else { return HistorySummary() }
        return HistorySummary(
            conversations: count, transfers: transfers, lastOutcome: outcome, lastContactAt: last,
            secondsSinceLastContact: last.map { max(0, Int(now.timeIntervalSince($0))) })
    }

    /// Sets the conversation's previous agent to the agent of the customer's most recent other conversation
    /// that had one, and returns it: one statement.
    static func recordPreviousAgent(
        conversationId: String, customerId: String, session: some SQLSession
    ) async throws -> String? {
        try await session.value(
            """
            UPDATE conversations SET previous_agent_id = (
                SELECT o.agent_id FROM conversations o
                WHERE o.customer_id = \(customerId) AND o.id != \(conversationId) AND o.agent_id IS NOT NULL
                ORDER BY o.started_at DESC, \(SQL.storedOrder("o")) DESC LIMIT 1)
            WHERE id = \(conversationId)
            RETURNING previous_agent_id
            """, as: String?.self) ?? nil
    }

    /// Notes agents left on the conversation, oldest first.
    static func notes(conversationId: String, session: some SQLSession) async throws -> [AgentNote] {
        try await session.rows(
            "SELECT agent_id, at, text FROM notes WHERE conversation_id = \(conversationId) ORDER BY id",
            as: (String, Date, String).self
        ).map { agentId, at, text in AgentNote(agentId: agentId, at: at, text: text) }
    }

    static func insertNote(_ note: AgentNote, conversationId: String, session: some SQLSession) async throws {
        try await session.execute(
            """
            INSERT INTO notes (conversation_id, agent_id, at, text)
            VALUES (\(conversationId), \(note.agentId), \(note.at), \(note.text))
            """)
    }

    /// The conversation with that id, with the last message it received.
    static func fetch(id: String, session: some SQLSession) async throws -> (Conversation, InboundMessage)? {
        try await fetch("id = \(id)", session: session).first
    }

    /// Conversations a condition (and order) selects, each with the last message it received.
    static func fetch(_ condition: SQL, session: some SQLSession) async throws -> [(Conversation, InboundMessage)] {
        try await session.rows("SELECT \(columns) FROM conversations WHERE \(condition)").map { row in
            let (
                id, source, externalId, channel, customerId, startedAt, status, agentId, handoffId, waitingSince,
                transfers, attributes, lastMessage, outcome, notes, previousAgentId, priority, holdForPrevious
            ) = try row.decode(
                (
                    String, String, String, String, String, Date, String, String?, String?, Date?, Int, Data, Data,
                    String?, String?, String?, Int, Double?
                ).self)
            let conversation = Conversation(
                id: id, source: source, externalId: externalId, channel: channel, customerId: customerId,
                startedAt: startedAt, status: ConversationStatus(rawValue: status) ?? .waiting, agentId: agentId,
                handoffId: handoffId, waitingSince: waitingSince, transfers: transfers,
                attributes: try StoreJSON.decode([String: Value].self, from: attributes), outcome: outcome, notes: notes,
                previousAgentId: previousAgentId, priority: priority, holdForPrevious: holdForPrevious)
            return (conversation, try StoreJSON.decode(InboundMessage.self, from: lastMessage))
        }
    }
}
