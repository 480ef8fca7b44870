import Foundation
import SwitchboardCore
import SwitchboardStore

/// Deliveries to agents' desks. Deliveries of one handoff (the handoff, its follow-up messages, a release
/// notice) reach the desk in the order they were stored: one that waits for a retry, or that an instance is
/// sending, holds back the later ones. With several instances, each takes its deliveries by claim
/// (``SQLClaimant``).
extension SQLStore {
    private static var isFirstOfItsHandoff: SQL {
        """
        NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.handoff_id = d.handoff_id AND p.status = \(unescaped: DeliveryStatus.pending.sql)
            AND \(SQL.storedOrder("p")) < \(SQL.storedOrder("d")))
        """
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        let due: SQL = """
            d.status = \(unescaped: DeliveryStatus.pending.sql) AND d.next_attempt_at <= \(now) AND \(Self.isFirstOfItsHandoff)
            """
        let rows = try await Self.claim(
            "deliveries", due: due, order: ["next_attempt_at", "created_at"],
            columns: ["id", "agent_id", "kind", "payload", "attempts"], limit: limit, now: now, claimant: claimant,
            store: self)
        return try rows.map { row in
            let (id, agentId, kind, payload, attempts, definition) = try row.decode(
                (String, String, String, [UInt8], Int, Data?).self)
            return DueDelivery(
                id: id, agentId: agentId, kind: kind, payload: payload, attempts: attempts,
                desk: try definition.map(StoredAgent.decode)?.desk)
        }
    }

    /// When the next pending delivery falls due for this instance; one another instance claims falls due
    /// when the claim ends.
    public func nextDeliveryDue() async throws -> Date? {
        try await reading { session in
            try await session.value(
                """
                SELECT MIN(\(Self.dueForThisInstance("d", claimant: claimant))) FROM deliveries d
                WHERE d.status = \(unescaped: DeliveryStatus.pending.sql) AND \(Self.isFirstOfItsHandoff)
                """, as: Date?.self) ?? nil
        }
    }

    /// One statement (so one commit) for a batch of up to 500: the times by id in a `CASE`.
    public func markDelivered(_ deliveries: [DeliveredMark]) async throws {
        guard !deliveries.isEmpty else { return }
        try await transaction { session in
            for start in stride(from: 0, to: deliveries.count, by: 500) {
                let batch = deliveries[start..<min(start + 500, deliveries.count)]
                var at: SQL = "CASE id"
                for delivery in batch { at = at + " WHEN \(delivery.id) THEN \(delivery.at)" }
                try await session.execute(
                    """
                    UPDATE deliveries SET status = \(unescaped: DeliveryStatus.delivered.sql), delivered_at = \(at) END,
                        attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL
                    WHERE id IN \(in: batch.map(\.id))
                    """)
            }
        }
    }

    /// Lifts this instance's claim with the retry; a claim another instance took meanwhile (this one's ran
    /// out) stays.
    public func scheduleRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        try await transaction { session in
            try await session.execute(
                """
                UPDATE deliveries SET attempts = \(attempts), next_attempt_at = \(nextAttemptAt), last_error = \(error),
                    \(Self.liftClaim(claimant))
                WHERE id = \(id)
                """)
        }
    }

    /// `claimed_until` and `claimed_by` lifted when this instance holds the claim.
    static func liftClaim(_ claimant: SQLClaimant?) -> SQL {
        let instance = claimant?.instance ?? ""
        return """
            claimed_until = CASE WHEN claimed_by = \(instance) THEN NULL ELSE claimed_until END,
            claimed_by = CASE WHEN claimed_by = \(instance) THEN NULL ELSE claimed_by END
            """
    }

    /// When a pending row of `alias` is due for this instance: at its next attempt, or when another
    /// instance's claim on it ends, if later.
    static func dueForThisInstance(_ alias: String, claimant: SQLClaimant?) -> SQL {
        guard let claimant else { return "\(unescaped: alias).next_attempt_at" }
        return """
            CASE WHEN \(unescaped: alias).claimed_by IS NOT NULL AND \(unescaped: alias).claimed_by <> \(claimant.instance)
            THEN \(unescaped: "GREATEST(\(alias).next_attempt_at, \(alias).claimed_until)") ELSE \(unescaped: alias).next_attempt_at END
            """
    }

    /// The rows of `table` (aliased `d`) that `due` selects, oldest due first (`order`, then the stored
    /// order), at most `limit`, as `columns` and then their agent's definition. With a claimant they are
    /// claimed in the same statement, passing over rows another instance claims or is claiming; without one
    /// (one process uses the store) they are only read.
    static func claim(
        _ table: String, due: SQL, order: [String], columns: [String], limit: Int, now: Date, claimant: SQLClaimant?,
        store: Self
    ) async throws -> [SQLRow] {
        /// `names` of the table aliased `alias`, comma separated.
        func of(_ alias: String, _ names: [String]) -> String {
            names.map { "\(alias).\($0)" }.joined(separator: ", ")
        }
        guard let claimant else {
            return try await store.reading { session in
                try await session.rows(
                    """
                    SELECT \(unescaped: of("d", columns)), a.definition
                    FROM \(unescaped: table) d LEFT JOIN agents a ON a.id = d.agent_id
                    WHERE \(due)
                    ORDER BY \(unescaped: of("d", order)), \(SQL.storedOrder("d")) LIMIT \(limit)
                    """)
            }
        }
        // Claims exist on PostgreSQL only: one statement, so one transaction, and the rows stay locked from
        // their choice to their claim.
        return try await store.reading { session in
            try await session.rows(
                """
                WITH due AS (
                    SELECT d.id FROM \(unescaped: table) d
                    WHERE \(due) AND (d.claimed_by IS NULL OR d.claimed_by = \(claimant.instance) OR d.claimed_until <= \(now))
                    ORDER BY \(unescaped: of("d", order)), d.position LIMIT \(limit)
                    FOR UPDATE OF d SKIP LOCKED
                ), claimed AS (
                    UPDATE \(unescaped: table) d SET claimed_by = \(claimant.instance),
                        claimed_until = \(now.addingTimeInterval(claimant.seconds))
                    FROM due WHERE d.id = due.id
                    RETURNING d.*
                )
                SELECT \(unescaped: of("c", columns)), a.definition
                FROM claimed c LEFT JOIN agents a ON a.id = c.agent_id
                ORDER BY \(unescaped: of("c", order)), c.position
                """)
        }
    }
}
