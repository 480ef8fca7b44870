import Foundation
import Logging
import PostgresNIO
import SwitchboardStore

/// The inbound log's rows: one per accepted webhook or polled message, unique by source and webhook id.
///
/// Every insert runs in a transaction holding the inbound lock (``PostgresStore/Lock/inbound``), which it
/// keeps until its commit: sequence numbers are handed out one transaction at a time, each one more than
/// the largest committed, so they become visible in order, whichever instance appends. The router, which
/// reads the events after its cursor and skips those at or below it, can never pass over one still being
/// written.
enum PostgresInbound {
    /// Stores `event` with the next sequence number; a duplicate (same source and webhook id) changes
    /// nothing. Only in a transaction holding the inbound lock.
    static func insert(_ event: InboundEvent, connection: PostgresConnection, logger: Logger) async throws
        -> AppendOutcome
    {
        let rows = try await connection.checkedQuery(
            """
            INSERT INTO inbound_events (seq, source, kind, webhook_id, received_at, body)
            SELECT COALESCE(MAX(seq), 0) + 1, \(event.source), \(event.kind), \(event.webhookId),
                \(event.receivedAt.timeIntervalSince1970), \(Data(event.body))
            FROM inbound_events
            ON CONFLICT (source, webhook_id) DO NOTHING RETURNING seq
            """, logger: logger)
        var outcome = AppendOutcome.duplicate
        for try await sequence in rows.decode(Int64.self) { outcome = .stored(sequence: sequence) }
        return outcome
    }

    /// Up to `limit` events after the router's cursor, oldest first: the cursor and the events are read
    /// in one statement, so they agree.
    static func pending(limit: Int, connection: PostgresConnection, logger: Logger) async throws -> [PendingEvent] {
        let rows = try await connection.checkedQuery(
            """
            SELECT seq, source, kind, webhook_id, received_at, body FROM inbound_events
            WHERE seq > (SELECT position FROM cursors WHERE name = 'router') ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        var events: [PendingEvent] = []
        for try await (seq, source, kind, webhookId, receivedAt, body) in rows.decode(
            (Int64, String, String, String, Double, Data).self)
        {
            events.append(
                PendingEvent(
                    sequence: seq,
                    event: InboundEvent(
                        source: source, kind: kind, webhookId: webhookId,
                        receivedAt: Date(timeIntervalSince1970: receivedAt), body: Array(body))))
        }
        return events
    }
}
