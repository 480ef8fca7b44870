import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Conversations, their messages, and a customer's history.
enum SQLiteConversations {
    static let columns = """
        id, source, external_id, channel, customer_id, started_at, status, agent_id, handoff_id, waiting_since,
        transfers, attributes, last_message, outcome, notes, previous_agent_id, priority, hold_for_previous
        """

    /// The conversation for a message, created when new (recognised by `identity`). A resolved
    /// conversation that hears from the customer again reopens and waits for an agent.
    static func upsert(
        _ message: InboundMessage, customerId: String, identity: Identity?, receivedAt: Date, db: Database
    ) throws -> (Conversation, isNew: Bool) {
        let last = try StoreJSON.encode(message)
        if let known = try first(
            db, where: "source = ? AND external_id = ?", arguments: [message.source, message.conversationId])
        {
            let conversation = ConversationUpsert.update(known, with: message, receivedAt: receivedAt)
            try db.cachedStatement(
                sql: """
                    UPDATE conversations SET status = ?, waiting_since = ?, handoff_id = ?, attributes = ?, last_message = ?
                    WHERE id = ?
                    """
            ).execute(arguments: [
                conversation.status.rawValue, conversation.waitingSince?.timeIntervalSince1970,
                conversation.handoffId, try StoreJSON.encode(conversation.attributes), last, conversation.id,
            ])
            return (conversation, false)
        }
        let conversation = ConversationUpsert.start(with: message, customerId: customerId, receivedAt: receivedAt)
        try insert(conversation, lastMessage: last, identity: identity, db: db)
        return (conversation, true)
    }

    /// Inserts a new, waiting conversation.
    static func insert(_ conversation: Conversation, lastMessage: InboundMessage, identity: Identity?, db: Database) throws {
        try insert(conversation, lastMessage: try StoreJSON.encode(lastMessage), identity: identity, db: db)
    }

    /// Inserts a new, waiting conversation whose last message is already encoded.
    static func insert(_ conversation: Conversation, lastMessage: Data, identity: Identity?, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO conversations (id, source, external_id, channel, customer_id, started_at, status,
                    waiting_since, attributes, last_message, identity, previous_agent_id, hold_for_previous)
                VALUES (?, ?, ?, ?, ?, ?, \(ConversationStatus.waiting.sql), ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            conversation.id, conversation.source, conversation.externalId, conversation.channel, conversation.customerId,
            conversation.startedAt.timeIntervalSince1970, conversation.waitingSince?.timeIntervalSince1970,
            try StoreJSON.encode(conversation.attributes), lastMessage, identity?.description,
            conversation.previousAgentId, conversation.holdForPrevious,
        ])
    }

    /// Adds a message (the customer's, or Switchboard's on a follow-up); false when the conversation
    /// already has a message with that id.
    static func addMessage(
        _ message: InboundMessage, conversationId: String, author: String = "customer", db: Database
    ) throws -> Bool {
        try db.cachedStatement(
            sql: """
                INSERT INTO messages (conversation_id, message_id, author, text, sent_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (conversation_id, message_id) DO NOTHING
                """
        ).execute(arguments: [conversationId, message.messageId, author, message.text, message.sentAt.timeIntervalSince1970])
        guard db.changesCount > 0 else { return false }
        if author == "customer" {
            try db.cachedStatement(
                sql: "UPDATE conversations SET last_message_at = MAX(COALESCE(last_message_at, 0), ?) WHERE id = ?"
            ).execute(arguments: [message.sentAt.timeIntervalSince1970, conversationId])
        }
        return true
    }

    static let transcriptSQL =
        "SELECT message_id, author, text, sent_at FROM messages WHERE conversation_id = ? ORDER BY sent_at, seq"

    static func transcript(conversationId: String, db: Database) throws -> [TranscriptMessage] {
        try Array(
            Row.fetchCursor(db.cachedStatement(sql: transcriptSQL), arguments: [conversationId]).map { row in
                TranscriptMessage(
                    id: row["message_id"], from: row["author"], text: row["text"],
                    sentAt: Date(timeIntervalSince1970: row["sent_at"]))
            })
    }

    static let historySQL = """
        SELECT c.id, c.source, c.channel, c.started_at, c.status, c.outcome, c.notes, c.agent_id, c.transfers,
            (SELECT text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.sent_at, m.seq LIMIT 1)
                AS first_message
        FROM conversations c
        WHERE c.customer_id = ? AND c.id != ?
        ORDER BY c.started_at DESC, c.rowid DESC
        LIMIT ?
        """

    /// The customer's other conversations on every channel and source, newest first, each with its
    /// first message and the notes agents left on it; at most `limits.entries`, each text capped.
    /// Rows are read through cursors here and below: a cursor's row finds a column by name in a
    /// dictionary, where a fetched (copied) row lower-cases the names one by one; that took a third
    /// of the history's time with 20 entries.
    static func history(customerId: String, excluding: String, limits: HistoryLimits, db: Database) throws -> [HistoryEntry] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: historySQL), arguments: [customerId, excluding, limits.entries])
        var entries = try Array(
            rows.map { row in
                HistoryEntry(
                    id: row["id"], source: row["source"], channel: row["channel"],
                    startedAt: Date(timeIntervalSince1970: row["started_at"]),
                    firstMessage: limits.cap(row["first_message"] ?? ""),
                    status: ConversationStatus(rawValue: row["status"]) ?? .waiting, outcome: row["outcome"],
                    notes: (row["notes"] as String?).map(limits.cap), agentId: row["agent_id"],
                    transfers: row["transfers"])
            })
        let agentNotes = try notes(conversationIds: entries.map(\.id), db: db)
        for index in entries.indices {
            entries[index].agentNotes = (agentNotes[entries[index].id] ?? []).map { note in
                AgentNote(agentId: note.agentId, at: note.at, text: limits.cap(note.text))
            }
        }
        return entries
    }

    /// The SQL of `notes(conversationIds:db:)` for `count` conversations.
    static func notesSQL(count: Int) -> String {
        """
        SELECT conversation_id, agent_id, at, text FROM notes
        WHERE conversation_id IN (\(databaseQuestionMarks(count: count))) ORDER BY id
        """
    }

    /// Notes agents left on each of the conversations, oldest first: one query for all of them.
    static func notes(conversationIds: [String], db: Database) throws -> [String: [AgentNote]] {
        guard !conversationIds.isEmpty else { return [:] }
        var notes: [String: [AgentNote]] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: notesSQL(count: conversationIds.count)),
            arguments: StatementArguments(conversationIds))
        while let row = try rows.next() {
            notes[row["conversation_id"], default: []].append(
                AgentNote(agentId: row["agent_id"], at: Date(timeIntervalSince1970: row["at"]), text: row["text"]))
        }
        return notes
    }

    static let summarySQL = """
        SELECT COUNT(*) AS count, COALESCE(SUM(transfers), 0) AS transfers, MAX(last_message_at) AS last
        FROM conversations WHERE customer_id = ? AND id != ?
        """
    static let lastOutcomeSQL = """
        SELECT outcome FROM conversations WHERE customer_id = ? AND status = \(ConversationStatus.resolved.sql) AND id != ?
        ORDER BY resolved_at DESC LIMIT 1
        """

    /// Totals over all the customer's other conversations.
    static func historySummary(customerId: String, excluding: String, now: Date, db: Database) throws -> HistorySummary {
        guard
            let row = try Row.fetchOne(db.cachedStatement(sql: summarySQL), arguments: [customerId, excluding])
        else { return HistorySummary() }
        let outcome = try String.fetchOne(db.cachedStatement(sql: lastOutcomeSQL), arguments: [customerId, excluding])
        let last = (row["last"] as Double?).map(Date.init(timeIntervalSince1970:))
        return HistorySummary(
            conversations: row["count"], transfers: row["transfers"], lastOutcome: outcome, lastContactAt: last,
            secondsSinceLastContact: last.map { max(0, Int(now.timeIntervalSince($0))) })
    }

    /// Records the agent of the customer's most recent other conversation that had one as the conversation's
    /// previous agent, and returns it: one statement.
    static func recordPreviousAgent(conversationId: String, customerId: String, db: Database) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(
                sql: """
                    UPDATE conversations SET previous_agent_id = (
                        SELECT agent_id FROM conversations
                        WHERE customer_id = ? AND id != ? AND agent_id IS NOT NULL
                        ORDER BY started_at DESC, rowid DESC LIMIT 1)
                    WHERE id = ?
                    RETURNING previous_agent_id
                    """),
            arguments: [customerId, conversationId, conversationId])
    }

    static let notesSQL = "SELECT agent_id, at, text FROM notes WHERE conversation_id = ? ORDER BY id"

    /// Notes agents left on the conversation, oldest first.
    static func notes(conversationId: String, db: Database) throws -> [AgentNote] {
        try Array(
            Row.fetchCursor(db.cachedStatement(sql: notesSQL), arguments: [conversationId]).map {
                AgentNote(agentId: $0["agent_id"], at: Date(timeIntervalSince1970: $0["at"]), text: $0["text"])
            })
    }

    /// Conversations matching a SQL condition, each with the last message it received.
    static func fetch(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [(Conversation, InboundMessage)]
    {
        try Array(
            Row.fetchCursor(
                db.cachedStatement(sql: "SELECT \(columns) FROM conversations WHERE \(condition)"), arguments: arguments
            ).map { row in
                (try conversation(row), try StoreJSON.decode(InboundMessage.self, from: row["last_message"]))
            })
    }

    /// The first conversation matching a SQL condition, without decoding its last message.
    static func first(_ db: Database, where condition: String, arguments: StatementArguments) throws -> Conversation? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(columns) FROM conversations WHERE \(condition)"), arguments: arguments
        ).map(conversation)
    }

    private static func conversation(_ row: Row) throws -> Conversation {
        Conversation(
            id: row["id"], source: row["source"], externalId: row["external_id"], channel: row["channel"],
            customerId: row["customer_id"], startedAt: Date(timeIntervalSince1970: row["started_at"]),
            status: ConversationStatus(rawValue: row["status"]) ?? .waiting, agentId: row["agent_id"],
            handoffId: row["handoff_id"],
            waitingSince: (row["waiting_since"] as Double?).map(Date.init(timeIntervalSince1970:)),
            transfers: row["transfers"],
            attributes: try StoreJSON.decode([String: Value].self, from: row["attributes"]),
            outcome: row["outcome"], notes: row["notes"], previousAgentId: row["previous_agent_id"],
            priority: row["priority"], holdForPrevious: row["hold_for_previous"])
    }
}
