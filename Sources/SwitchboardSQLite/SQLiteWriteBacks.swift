import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// The write-back outbox, written inside the caller's transaction.
enum SQLiteWriteBacks {
    /// Stores a write-back for an acceptance when its conversation's source is one of `sources`, replacing one
    /// still pending for the same conversation (only the last agent who accepted should be named).
    static func enqueue(_ acceptance: Acceptance, sources: Set<String>, db: Database) throws {
        guard !sources.isEmpty,
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT source, external_id FROM conversations WHERE id = ?"),
                arguments: [acceptance.conversationId])
        else { return }
        let source: String = row["source"]
        guard sources.contains(source) else { return }
        let at = acceptance.at.timeIntervalSince1970
        try db.cachedStatement(
            sql: """
                UPDATE write_backs SET status = \(WriteBackStatus.superseded.sql), finished_at = ?
                WHERE conversation_id = ? AND status = \(WriteBackStatus.pending.sql)
                """
        ).execute(arguments: [at, acceptance.conversationId])
        try db.cachedStatement(
            sql: """
                INSERT INTO write_backs (id, handoff_id, conversation_id, source, external_id, agent_id, status,
                    next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, \(WriteBackStatus.pending.sql), ?, ?)
                """
        ).execute(arguments: [
            RoutingEngine.randomId("wb_"), acceptance.handoffId, acceptance.conversationId, source,
            row["external_id"] as String, acceptance.agentId, at, at,
        ])
    }
}
