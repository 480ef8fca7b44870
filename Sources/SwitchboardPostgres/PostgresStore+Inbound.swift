import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// The inbound log: appended to by every instance, read in order by the router.
extension PostgresStore {
    public func append(_ event: InboundEvent) async throws -> AppendOutcome {
        try await groupCommit.append(event)
    }

    public func pendingEvents(limit: Int) async throws -> [PendingEvent] {
        try await read { connection in
            try await PostgresInbound.pending(limit: limit, connection: connection, logger: logger)
        }
    }

    /// How many inbound events the router has not applied yet.
    public func backlog() async throws -> Int {
        try await read { connection in
            try await count(
                "SELECT COUNT(*) FROM inbound_events WHERE seq > (SELECT position FROM cursors WHERE name = 'router')",
                connection: connection)
        }
    }

    /// How many inbound events the log holds.
    public func inboundEventCount() async throws -> Int {
        try await read { connection in try await count("SELECT COUNT(*) FROM inbound_events", connection: connection) }
    }

    public func pruneInboundBodies(receivedBefore cutoff: Date, limit: Int) async throws -> Int {
        let rows = try await client.query(
            """
            UPDATE inbound_events SET body = ''::bytea WHERE seq IN (
                SELECT seq FROM inbound_events
                WHERE seq <= (SELECT position FROM cursors WHERE name = 'router')
                AND received_at < \(cutoff.timeIntervalSince1970) AND length(body) > 0
                ORDER BY seq LIMIT \(limit))
            RETURNING seq
            """, logger: logger)
        var count = 0
        for try await _ in rows.decode(Int64.self) { count += 1 }
        return count
    }

    /// The one number `query` returns.
    func count(_ query: PostgresQuery, connection: PostgresConnection) async throws -> Int {
        for try await count in try await connection.checkedQuery(query, logger: logger).decode(Int.self) {
            return count
        }
        return 0
    }
}
