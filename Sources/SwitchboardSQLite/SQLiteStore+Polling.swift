import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func pollCursor(source: String) async throws -> String? {
        try await inbound.read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT cursor FROM poll_cursors WHERE source = ?"), arguments: [source])
        }
    }

    public func appendPolled(_ events: [InboundEvent], source: String, cursor: String, now: Date) async throws
        -> [AppendOutcome]
    {
        try await inbound.write { db in
            let outcomes = try events.map { try SQLiteInbound.insert($0, db: db) }
            try db.cachedStatement(
                sql: """
                    INSERT INTO poll_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                    """
            ).execute(arguments: [source, cursor, now.timeIntervalSince1970])
            return outcomes
        }
    }
}
