import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.agent_id, d.kind, d.payload, d.attempts, a.definition
                    FROM deliveries d LEFT JOIN agents a ON a.id = d.agent_id
                    WHERE d.status = \(DeliveryStatus.pending.sql) AND d.next_attempt_at <= ? AND \(SQLiteDeliveries.isFirstOfItsHandoff)
                    ORDER BY d.next_attempt_at, d.created_at LIMIT ?
                    """,
                arguments: [now.timeIntervalSince1970, limit]
            ).map { row in
                let definition: Data? = row["definition"]
                let agent = try definition.map(SQLiteAgents.decode)
                return DueDelivery(
                    id: row["id"], agentId: row["agent_id"], kind: row["kind"], payload: Array(row["payload"] as Data),
                    attempts: row["attempts"], desk: agent?.desk)
            }
        }
    }

    public func nextDeliveryDue() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT MIN(d.next_attempt_at) FROM deliveries d
                        WHERE d.status = \(DeliveryStatus.pending.sql) AND \(SQLiteDeliveries.isFirstOfItsHandoff)
                        """)
            )
            .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// One transaction, so one fsync, for the whole batch.
    public func markDelivered(_ deliveries: [DeliveredMark]) async throws {
        guard !deliveries.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE deliveries SET status = \(DeliveryStatus.delivered.sql), delivered_at = ?, attempts = attempts + 1 WHERE id = ?")
            for delivery in deliveries {
                try statement.execute(arguments: [delivery.at.timeIntervalSince1970, delivery.id])
            }
        }
    }

    public func scheduleRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await writer.write { db in
            try db.cachedStatement(
                sql: "UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?"
            ).execute(arguments: [attempts, nextAttemptAt.timeIntervalSince1970, error, id])
        }
    }
}

/// Deliveries of one handoff (the handoff, its follow-up messages, a release notice) reach the desk in
/// the order they were stored: one that waits for a retry holds back the later ones.
enum SQLiteDeliveries {
    static let isFirstOfItsHandoff = """
        NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.handoff_id = d.handoff_id AND p.status = \(DeliveryStatus.pending.sql) AND p.rowid < d.rowid)
        """
}
