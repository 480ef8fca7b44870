import Foundation
import PostgresNIO
import SwitchboardStore

/// Leases: which instance polls a mailbox or a chat account. Each is one statement, so taking a lease is
/// atomic without the routing-state lock: of two instances asking at once, the second waits for the
/// first's row and finds it taken.
extension PostgresStore {
    public func acquireLease(_ name: String, holder: String, for duration: Double, now: Date) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), \(now.timeIntervalSince1970 + duration))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= \(now.timeIntervalSince1970)
            RETURNING holder
            """, logger: logger)
        var acquired = false
        for try await _ in rows.decode(String.self) { acquired = true }
        return acquired
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await client.query("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)", logger: logger)
    }
}
