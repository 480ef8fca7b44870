import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// The write-back outbox, written inside the caller's transaction.
enum PostgresWriteBacks {
    /// Stores a write-back for an acceptance when its conversation's source is one of `sources`, replacing one
    /// still pending for the same conversation (only the last agent who accepted should be named).
    static func enqueue(_ acceptance: Acceptance, sources: Set<String>, session: PostgresSession) async throws {
        guard !sources.isEmpty,
            let (source, externalId) = try await session.row(
                "SELECT source, external_id FROM conversations WHERE id = \(acceptance.conversationId)",
                as: (String, String).self),
            sources.contains(source)
        else { return }
        let at = acceptance.at.timeIntervalSince1970
        try await session.execute(
            """
            UPDATE write_backs SET status = \(unescaped: WriteBackStatus.superseded.sql), finished_at = \(at)
            WHERE conversation_id = \(acceptance.conversationId) AND status = \(unescaped: WriteBackStatus.pending.sql)
            """)
        try await session.execute(
            """
            INSERT INTO write_backs (id, handoff_id, conversation_id, source, external_id, agent_id, status,
                next_attempt_at, created_at)
            VALUES (\(RoutingEngine.randomId("wb_")), \(acceptance.handoffId), \(acceptance.conversationId), \(source),
                \(externalId), \(acceptance.agentId), \(unescaped: WriteBackStatus.pending.sql), \(at), \(at))
            """)
    }
}
