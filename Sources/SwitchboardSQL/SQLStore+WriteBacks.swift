import Foundation
import SwitchboardCore
import SwitchboardStore

/// The write-back outbox: stored with the acceptance that causes it (in the routing transaction), sent by the
/// write-back service, claimed by one instance at a time when several share the store (``SQLClaimant``).
extension SQLStore {
    /// The write-backs due for an attempt, oldest due first, with the agent's current id on the platform.
    public func dueWriteBacks(now: Date, limit: Int) async throws -> [DueWriteBack] {
        let rows = try await Self.claim(
            "write_backs", due: "d.status = \(unescaped: WriteBackStatus.pending.sql) AND d.next_attempt_at <= \(now)",
            order: ["next_attempt_at", "created_at"],
            columns: ["id", "handoff_id", "conversation_id", "source", "external_id", "agent_id", "attempts"], limit: limit,
            now: now,
            claimant: claimant, store: self)
        return try rows.map { row in
            let (id, handoffId, conversationId, source, externalId, agentId, attempts, definition) = try row.decode(
                (String, String, String, String, String, String, Int, Data?).self)
            let agent = try definition.map(StoredAgent.decode)
            return DueWriteBack(
                id: id, handoffId: handoffId, conversationId: conversationId, source: source, externalId: externalId,
                agentId: agentId, platformAgentId: agent?.platformIds[source], attempts: attempts, agentName: agent?.name,
                agentTeam: agent?.skills.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key)
        }
    }

    /// When the next pending write-back falls due for this instance; one another instance claims falls due
    /// when the claim ends.
    public func nextWriteBackDue() async throws -> Date? {
        try await reading { session in
            try await session.value(
                """
                SELECT MIN(\(Self.dueForThisInstance("w", claimant: claimant))) FROM write_backs w
                WHERE w.status = \(unescaped: WriteBackStatus.pending.sql)
                """, as: Date?.self) ?? nil
        }
    }

    public func markWriteBackDone(id: String, at: Date) async throws {
        try await transaction { session in
            try await session.execute(
                """
                UPDATE write_backs SET status = \(unescaped: WriteBackStatus.done.sql), finished_at = \(at),
                    attempts = attempts + 1, last_error = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE id = \(id) AND status = \(unescaped: WriteBackStatus.pending.sql)
                """)
        }
    }

    /// Lifts this instance's claim with the retry; a claim another instance took meanwhile (this one's ran
    /// out) stays.
    public func scheduleWriteBackRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await transaction { session in
            try await session.execute(
                """
                UPDATE write_backs SET attempts = \(attempts), next_attempt_at = \(nextAttemptAt), last_error = \(error),
                    \(Self.liftClaim(claimant))
                WHERE id = \(id) AND status = \(unescaped: WriteBackStatus.pending.sql)
                """)
        }
    }

    public func endWriteBack(id: String, status: WriteBackStatus, at: Date, reason: String) async throws {
        try await transaction { session in
            try await session.execute(
                """
                UPDATE write_backs SET status = \(status.rawValue), finished_at = \(at), last_error = \(reason),
                    claimed_by = NULL, claimed_until = NULL
                WHERE id = \(id) AND status = \(unescaped: WriteBackStatus.pending.sql)
                """)
        }
    }

    public func pendingWriteBacks() async throws -> Int {
        try await reading { session in
            try await session.value(
                "SELECT COUNT(*) FROM write_backs WHERE status = \(unescaped: WriteBackStatus.pending.sql)", as: Int.self)
                ?? 0
        }
    }

    /// Every write-back of a conversation, oldest first, with its status: for tests and diagnostics.
    public func writeBacks(conversationId: String) async throws -> [WriteBackRecord] {
        try await reading { session in
            try await session.rows(
                """
                SELECT id, agent_id, status, attempts, last_error FROM write_backs w
                WHERE conversation_id = \(conversationId) ORDER BY created_at, \(SQL.storedOrder("w"))
                """, as: (String, String, String, Int, String?).self
            ).map { id, agentId, status, attempts, lastError in
                WriteBackRecord(
                    id: id, agentId: agentId, status: WriteBackStatus(rawValue: status) ?? .pending, attempts: attempts,
                    lastError: lastError)
            }
        }
    }
}
