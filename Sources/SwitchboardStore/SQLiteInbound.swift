import Foundation
import GRDB
import SwitchboardCore

/// The inbound log's rows: one per accepted webhook, unique by source and webhook id.
enum SQLiteInbound {
    static func insert(_ row: GroupCommit.PendingAppend, db: Database) throws -> AppendOutcome {
        let event = row.event
        try db.cachedStatement(
            sql: """
                INSERT INTO inbound_events (source, webhook_id, received_at, message)
                VALUES (?, ?, ?, ?) ON CONFLICT (source, webhook_id) DO NOTHING
                """).execute(arguments: [event.source, event.webhookId, event.receivedAt.timeIntervalSince1970, row.message])
        return db.changesCount == 0 ? .duplicate : .stored(sequence: db.lastInsertedRowID)
    }

    static func pending(after cursor: Int64, limit: Int, db: Database) throws -> [PendingEvent] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT seq, received_at, message FROM inbound_events WHERE seq > ? ORDER BY seq LIMIT ?"),
            arguments: [cursor, limit]
        ).map { row in
            PendingEvent(
                sequence: row["seq"], receivedAt: Date(timeIntervalSince1970: row["received_at"]),
                message: try StoreJSON.decode(InboundMessage.self, from: row["message"]))
        }
    }
}
