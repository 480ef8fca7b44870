import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Polled sources' cursors, committed with the messages they lead past.
extension PostgresStore {
    public func pollCursor(source: String) async throws -> String? {
        try await read { connection in
            for try await cursor in try await connection.checkedQuery(
                "SELECT cursor FROM poll_cursors WHERE source = \(source)", logger: logger
            ).decode(String.self) {
                return cursor
            }
            return nil
        }
    }

    public func appendPolled(_ events: [InboundEvent], source: String, cursor: String, now: Date) async throws
        -> [AppendOutcome]
    {
        try await PostgresTransaction.run(client, holding: .inbound, logger: logger) { connection in
            var outcomes: [AppendOutcome] = []
            for event in events {
                outcomes.append(try await PostgresInbound.insert(event, connection: connection, logger: logger))
            }
            try await connection.checkedQuery(
                """
                INSERT INTO poll_cursors (source, cursor, updated_at) VALUES (\(source), \(cursor), \(now.timeIntervalSince1970))
                ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                """, logger: logger)
            return outcomes
        }
    }
}
