import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func dueWriteBacks(now: Date, limit: Int) async throws -> [DueWriteBack] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT w.id, w.handoff_id, w.conversation_id, w.source, w.external_id, w.agent_id, w.attempts,
                        a.definition
                    FROM write_backs w LEFT JOIN agents a ON a.id = w.agent_id
                    WHERE w.status = \(WriteBackStatus.pending.sql) AND w.next_attempt_at <= ?
                    ORDER BY w.next_attempt_at, w.created_at LIMIT ?
                    """,
                arguments: [now.timeIntervalSince1970, limit]
            ).map { row in
                let definition: Data? = row["definition"]
                let agent = try definition.map(SQLiteAgents.decode)
                let source: String = row["source"]
                return DueWriteBack(
                    id: row["id"], handoffId: row["handoff_id"], conversationId: row["conversation_id"], source: source,
                    externalId: row["external_id"], agentId: row["agent_id"],
                    platformAgentId: agent?.platformIds[source],
                    attempts: row["attempts"], agentName: agent?.name,
                    agentTeam: agent?.skills.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key)
            }
        }
    }

    public func nextWriteBackDue() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(
                db.cachedStatement(sql: "SELECT MIN(next_attempt_at) FROM write_backs WHERE status = \(WriteBackStatus.pending.sql)")
            ).map(Date.init(timeIntervalSince1970:))
        }
    }

    public func markWriteBackDone(id: String, at: Date) async throws {
        try await writer.write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE write_backs SET status = \(WriteBackStatus.done.sql), finished_at = ?, attempts = attempts + 1, last_error = NULL
                    WHERE id = ? AND status = \(WriteBackStatus.pending.sql)
                    """
            ).execute(arguments: [at.timeIntervalSince1970, id])
        }
    }

    public func scheduleWriteBackRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await writer.write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE write_backs SET attempts = ?, next_attempt_at = ?, last_error = ?
                    WHERE id = ? AND status = \(WriteBackStatus.pending.sql)
                    """
            ).execute(arguments: [attempts, nextAttemptAt.timeIntervalSince1970, error, id])
        }
    }

    public func endWriteBack(id: String, status: WriteBackStatus, at: Date, reason: String) async throws {
        try await writer.write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE write_backs SET status = ?, finished_at = ?, last_error = ?
                    WHERE id = ? AND status = \(WriteBackStatus.pending.sql)
                    """
            ).execute(arguments: [status.rawValue, at.timeIntervalSince1970, reason, id])
        }
    }

    public func pendingWriteBacks() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM write_backs WHERE status = \(WriteBackStatus.pending.sql)")) ?? 0
        }
    }

    /// Every write-back of a conversation, oldest first, with its status: for tests and diagnostics.
    public func writeBacks(conversationId: String) async throws -> [WriteBackRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, agent_id, status, attempts, last_error FROM write_backs
                    WHERE conversation_id = ? ORDER BY created_at, rowid
                    """,
                arguments: [conversationId]
            ).map { row in
                WriteBackRecord(
                    id: row["id"], agentId: row["agent_id"],
                    status: WriteBackStatus(rawValue: row["status"]) ?? .pending,
                    attempts: row["attempts"], lastError: row["last_error"])
            }
        }
    }
}
