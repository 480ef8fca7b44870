import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Writes rows as they are, without routing, inside one transaction of `SQLiteStore.bulkLoad`:
/// for benchmarks that need a store of a million conversations in minutes. The rows are the ones
/// the router writes (same columns, same JSON), so everything that reads the store reads them.
package struct BulkLoader {
    let db: Database

    package func customer(id: String, name: String?, createdAt: Date) throws {
        try db.cachedStatement(sql: "INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)")
            .execute(arguments: [id, name, createdAt.timeIntervalSince1970])
    }

    package func identity(_ identity: Identity, customerId: String) throws {
        try db.cachedStatement(sql: "INSERT INTO identities (kind, value, customer_id) VALUES (?, ?, ?)")
            .execute(arguments: [identity.kind.rawValue, identity.value, customerId])
    }

    /// A conversation in any state: `identity` is the one that recognised it, `lastMessageAt` the
    /// customer's latest message, `resolvedAt` set when it is resolved.
    package func conversation(
        _ conversation: Conversation, lastMessage: InboundMessage, identity: Identity?, lastMessageAt: Date?,
        resolvedAt: Date?
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO conversations (id, source, external_id, channel, customer_id, started_at, status, agent_id,
                    handoff_id, waiting_since, transfers, attributes, last_message, outcome, notes, resolved_at, priority,
                    previous_agent_id, identity, last_message_at, hold_for_previous)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            conversation.id, conversation.source, conversation.externalId, conversation.channel,
            conversation.customerId,
            conversation.startedAt.timeIntervalSince1970, conversation.status.rawValue, conversation.agentId,
            conversation.handoffId, conversation.waitingSince?.timeIntervalSince1970, conversation.transfers,
            try StoreJSON.encode(conversation.attributes), try StoreJSON.encode(lastMessage), conversation.outcome,
            conversation.notes, resolvedAt?.timeIntervalSince1970, conversation.priority, conversation.previousAgentId,
            identity?.description, lastMessageAt?.timeIntervalSince1970, conversation.holdForPrevious,
        ])
    }

    /// A message of the transcript; `author` is `customer` or the agent's id.
    package func message(conversationId: String, messageId: String, author: String, text: String, sentAt: Date) throws {
        try db.cachedStatement(
            sql: "INSERT INTO messages (conversation_id, message_id, author, text, sent_at) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [conversationId, messageId, author, text, sentAt.timeIntervalSince1970])
    }

    package func note(_ note: AgentNote, conversationId: String) throws {
        try db.cachedStatement(sql: "INSERT INTO notes (conversation_id, agent_id, at, text) VALUES (?, ?, ?, ?)")
            .execute(arguments: [conversationId, note.agentId, note.at.timeIntervalSince1970, note.text])
    }

    /// A promise in any state; a kept one is kept at `keptAt`.
    package func promise(_ promise: Promise, keptAt: Date? = nil) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO promises (id, customer_id, conversation_id, agent_id, what, due, made_at, status,
                    follow_up_conversation_id, kept_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            promise.id, promise.customerId, promise.conversationId, promise.agentId, promise.what,
            promise.due.timeIntervalSince1970, promise.madeAt.timeIntervalSince1970, promise.status.rawValue,
            promise.followUpConversationId, keptAt?.timeIntervalSince1970,
        ])
    }
}

extension SQLiteStore {
    /// Runs `body` in one write transaction. While loading, the writer keeps a large page cache and
    /// does not sync each commit (a crash mid-load loses the load, which is thrown away anyway);
    /// both are restored afterwards.
    package func bulkLoad<T>(_ body: (BulkLoader) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -1048576; PRAGMA synchronous = OFF")
            defer { try? db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA synchronous = FULL") }
            var result: T?
            try db.inTransaction {
                result = try body(BulkLoader(db: db))
                return .commit
            }
            return result!
        }
    }

    /// After a bulk load: `ANALYZE` when asked (statistics for the query planner), then the WAL is
    /// copied into the database and truncated, so that reads do not search a large WAL.
    package func finishBulkLoad(analyze: Bool) throws {
        try pool.writeWithoutTransaction { db in
            if analyze { try db.execute(sql: "ANALYZE") }
            try db.checkpoint(.truncate)
        }
    }
}
