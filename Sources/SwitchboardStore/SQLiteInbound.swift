import Foundation
import GRDB
import SwitchboardCore

/// The inbound log's rows: one per accepted webhook, unique by source and webhook id.
enum SQLiteInbound {
    static func insert(_ event: InboundEvent, db: Database) throws -> AppendOutcome {
        let body = try StoreJSON.encode(event.message)
        try db.execute(
            sql: """
                INSERT INTO inbound_events (source, webhook_id, received_at, message)
                VALUES (?, ?, ?, ?) ON CONFLICT (source, webhook_id) DO NOTHING
                """,
            arguments: [event.source, event.webhookId, event.receivedAt.timeIntervalSince1970, body])
        return db.changesCount == 0 ? .duplicate : .stored(sequence: db.lastInsertedRowID)
    }

    static func pending(after cursor: Int64, limit: Int, db: Database) throws -> [PendingEvent] {
        try Row.fetchAll(
            db, sql: "SELECT seq, received_at, message FROM inbound_events WHERE seq > ? ORDER BY seq LIMIT ?",
            arguments: [cursor, limit]
        ).map { row in
            PendingEvent(
                sequence: row["seq"], receivedAt: Date(timeIntervalSince1970: row["received_at"]),
                message: try StoreJSON.decode(InboundMessage.self, from: row["message"]))
        }
    }
}
