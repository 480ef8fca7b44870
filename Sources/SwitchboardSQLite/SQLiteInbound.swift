import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// The inbound log's rows: one per accepted webhook, unique by source and webhook id.
enum SQLiteInbound {
    static func insert(_ event: InboundEvent, db: Database) throws -> AppendOutcome {
        try db.cachedStatement(
            sql: """
                INSERT INTO inbound_events (source, kind, webhook_id, received_at, body)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, webhook_id) DO NOTHING
                """
        ).execute(arguments: [
            event.source, event.kind, event.webhookId, event.receivedAt.timeIntervalSince1970, Data(event.body),
        ])
        return db.changesCount == 0 ? .duplicate : .stored(sequence: db.lastInsertedRowID)
    }

    static func pending(after cursor: Int64, limit: Int, db: Database) throws -> [PendingEvent] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT seq, source, kind, webhook_id, received_at, body FROM inbound_events
                    WHERE seq > ? ORDER BY seq LIMIT ?
                    """
            ),
            arguments: [cursor, limit]
        ).map { row in
            PendingEvent(
                sequence: row["seq"],
                event: InboundEvent(
                    source: row["source"], kind: row["kind"], webhookId: row["webhook_id"],
                    receivedAt: Date(timeIntervalSince1970: row["received_at"]), body: Array(row["body"] as Data)))
        }
    }
}
