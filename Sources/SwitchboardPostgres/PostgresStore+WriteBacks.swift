import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// The write-back outbox, claimed by one instance at a time (see PostgresClaim.swift). Write-backs are stored
/// with the acceptance that causes them, in the routing-state half of the store.
extension PostgresStore {
    /// Claims the write-backs due for an attempt, oldest due first, with the agent's current id on the
    /// platform. A write-back another instance claims is not due until its claim ends.
    public func dueWriteBacks(now: Date, limit: Int) async throws -> [DueWriteBack] {
        let now = now.timeIntervalSince1970
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT w.id FROM write_backs w
                WHERE w.status = \(unescaped: WriteBackStatus.pending.sql) AND w.next_attempt_at <= \(now)
                    AND (w.claimed_by IS NULL OR w.claimed_by = \(instance) OR w.claimed_until <= \(now))
                ORDER BY w.next_attempt_at, w.created_at, w.position LIMIT \(limit)
                FOR UPDATE OF w SKIP LOCKED
            ), claimed AS (
                UPDATE write_backs w SET claimed_by = \(instance), claimed_until = \(now + claimSeconds)
                FROM due WHERE w.id = due.id
                RETURNING w.id, w.handoff_id, w.conversation_id, w.source, w.external_id, w.agent_id, w.attempts,
                    w.next_attempt_at, w.created_at, w.position
            )
            SELECT c.id, c.handoff_id, c.conversation_id, c.source, c.external_id, c.agent_id, c.attempts, a.definition
            FROM claimed c LEFT JOIN agents a ON a.id = c.agent_id
            ORDER BY c.next_attempt_at, c.created_at, c.position
            """, logger: logger)
        var due: [DueWriteBack] = []
        for try await (id, handoffId, conversationId, source, externalId, agentId, attempts, definition) in rows.decode(
            (String, String, String, String, String, String, Int, Data?).self)
        {
            let agent = try definition.map(StoredAgent.decode)
            due.append(
                DueWriteBack(
                    id: id, handoffId: handoffId, conversationId: conversationId, source: source,
                    externalId: externalId, agentId: agentId, platformAgentId: agent?.platformIds[source],
                    attempts: attempts, agentName: agent?.name,
                    agentTeam: agent?.skills.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key))
        }
        return due
    }

    /// When the next pending write-back falls due for this instance; one another instance claims falls due
    /// when the claim ends.
    public func nextWriteBackDue() async throws -> Date? {
        let rows = try await client.query(
            """
            SELECT MIN(CASE WHEN claimed_by IS NOT NULL AND claimed_by <> \(instance)
                THEN GREATEST(next_attempt_at, claimed_until) ELSE next_attempt_at END)
            FROM write_backs WHERE status = \(unescaped: WriteBackStatus.pending.sql)
            """, logger: logger)
        for try await next in rows.decode(Double?.self) {
            return next.map(Date.init(timeIntervalSince1970:))
        }
        return nil
    }

    public func markWriteBackDone(id: String, at: Date) async throws {
        try await client.query(
            """
            UPDATE write_backs SET status = \(unescaped: WriteBackStatus.done.sql), finished_at = \(at.timeIntervalSince1970), attempts = attempts + 1,
                last_error = NULL, claimed_by = NULL, claimed_until = NULL
            WHERE id = \(id) AND status = \(unescaped: WriteBackStatus.pending.sql)
            """, logger: logger)
    }

    /// Lifts this instance's claim with the retry; a claim another instance took meanwhile (this one's ran
    /// out) stays.
    public func scheduleWriteBackRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await client.query(
            """
            UPDATE write_backs SET attempts = \(attempts), next_attempt_at = \(nextAttemptAt.timeIntervalSince1970),
                last_error = \(error),
                claimed_until = CASE WHEN claimed_by = \(instance) THEN NULL ELSE claimed_until END,
                claimed_by = CASE WHEN claimed_by = \(instance) THEN NULL ELSE claimed_by END
            WHERE id = \(id) AND status = \(unescaped: WriteBackStatus.pending.sql)
            """, logger: logger)
    }

    public func endWriteBack(id: String, status: WriteBackStatus, at: Date, reason: String) async throws {
        try await client.query(
            """
            UPDATE write_backs SET status = \(status.rawValue), finished_at = \(at.timeIntervalSince1970),
                last_error = \(reason), claimed_by = NULL, claimed_until = NULL
            WHERE id = \(id) AND status = \(unescaped: WriteBackStatus.pending.sql)
            """, logger: logger)
    }

    public func pendingWriteBacks() async throws -> Int {
        try await read { connection in
            try await count("SELECT COUNT(*) FROM write_backs WHERE status = \(unescaped: WriteBackStatus.pending.sql)", connection: connection)
        }
    }

    /// Every write-back of a conversation, oldest first, with its status: for tests and diagnostics.
    public func writeBacks(conversationId: String) async throws -> [WriteBackRecord] {
        let rows = try await client.query(
            """
            SELECT id, agent_id, status, attempts, last_error FROM write_backs
            WHERE conversation_id = \(conversationId) ORDER BY created_at, position
            """, logger: logger)
        var records: [WriteBackRecord] = []
        for try await (id, agentId, status, attempts, lastError) in rows.decode(
            (String, String, String, Int, String?).self)
        {
            records.append(
                WriteBackRecord(
                    id: id, agentId: agentId, status: WriteBackStatus(rawValue: status) ?? .pending, attempts: attempts,
                    lastError: lastError))
        }
        return records
    }
}
