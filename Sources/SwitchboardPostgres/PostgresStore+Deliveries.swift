import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Deliveries to agents' desks, claimed by one instance at a time (see PostgresClaim.swift).
extension PostgresStore {
    /// Claims the deliveries due for an attempt, oldest due first, with their desk. A delivery another
    /// instance claims is not due until its claim ends.
    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        let now = now.timeIntervalSince1970
        // One statement, so one transaction: the rows stay locked from their choice to their claim.
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT d.id FROM deliveries d
                WHERE d.status = \(unescaped: DeliveryStatus.pending.sql) AND d.next_attempt_at <= \(now)
                    AND (d.claimed_by IS NULL OR d.claimed_by = \(instance) OR d.claimed_until <= \(now))
                    AND \(unescaped: PostgresDeliveries.isFirstOfItsHandoff)
                ORDER BY d.next_attempt_at, d.created_at, d.position LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED
            ), claimed AS (
                UPDATE deliveries d SET claimed_by = \(instance), claimed_until = \(now + claimSeconds)
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.agent_id, d.kind, d.payload, d.attempts, d.next_attempt_at, d.created_at, d.position
            )
            SELECT c.id, c.agent_id, c.kind, c.payload, c.attempts, a.definition
            FROM claimed c LEFT JOIN agents a ON a.id = c.agent_id
            ORDER BY c.next_attempt_at, c.created_at, c.position
            """, logger: logger)
        var due: [DueDelivery] = []
        for try await (id, agentId, kind, payload, attempts, definition) in rows.decode(
            (String, String, String, Data, Int, Data?).self)
        {
            let agent = try definition.map(StoredAgent.decode)
            due.append(
                DueDelivery(
                    id: id, agentId: agentId, kind: kind, payload: Array(payload), attempts: attempts, desk: agent?.desk
                ))
        }
        return due
    }

    /// When the next pending delivery falls due for this instance; one another instance claims falls due
    /// when the claim ends.
    public func nextDeliveryDue() async throws -> Date? {
        let rows = try await client.query(
            """
            SELECT MIN(CASE WHEN d.claimed_by IS NOT NULL AND d.claimed_by <> \(instance)
                THEN GREATEST(d.next_attempt_at, d.claimed_until) ELSE d.next_attempt_at END)
            FROM deliveries d
            WHERE d.status = \(unescaped: DeliveryStatus.pending.sql) AND \(unescaped: PostgresDeliveries.isFirstOfItsHandoff)
            """, logger: logger)
        for try await next in rows.decode(Double?.self) {
            return next.map(Date.init(timeIntervalSince1970:))
        }
        return nil
    }

    /// One statement for the whole batch: the ids and times as arrays, unnested.
    public func markDelivered(_ deliveries: [DeliveredMark]) async throws {
        guard !deliveries.isEmpty else { return }
        let ids = deliveries.map(\.id)
        let times = deliveries.map(\.at.timeIntervalSince1970)
        try await client.query(
            """
            UPDATE deliveries d SET status = \(unescaped: DeliveryStatus.delivered.sql), delivered_at = m.at,
                attempts = d.attempts + 1, claimed_by = NULL, claimed_until = NULL
            FROM unnest(\(ids)::text[], \(times)::double precision[]) AS m(id, at)
            WHERE d.id = m.id
            """, logger: logger)
    }

    /// Lifts this instance's claim with the retry; a claim another instance took meanwhile (this one's ran
    /// out) stays.
    public func scheduleRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await client.query(
            """
            UPDATE deliveries SET attempts = \(attempts), next_attempt_at = \(nextAttemptAt.timeIntervalSince1970),
                last_error = \(error),
                claimed_until = CASE WHEN claimed_by = \(instance) THEN NULL ELSE claimed_until END,
                claimed_by = CASE WHEN claimed_by = \(instance) THEN NULL ELSE claimed_by END
            WHERE id = \(id)
            """, logger: logger)
    }
}

/// Deliveries of one handoff (the handoff, its follow-up messages, a release notice) reach the desk in
/// the order they were stored: one that waits for a retry, or that an instance is sending, holds back
/// the later ones.
enum PostgresDeliveries {
    static let isFirstOfItsHandoff = """
        NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.handoff_id = d.handoff_id AND p.status = \(DeliveryStatus.pending.sql) AND p.position < d.position)
        """
}
