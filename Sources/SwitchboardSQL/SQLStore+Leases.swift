import Foundation
import SwitchboardStore

/// Leases: which instance polls a mailbox or a chat account. Each is one statement, so taking a lease is
/// atomic without the routing lock: of two instances asking at once, the second waits for the first's row
/// and finds it taken. One process uses a SQLite store, which keeps them all the same, so both behave alike.
extension SQLStore {
    public func acquireLease(_ name: String, holder: String, for duration: Double, now: Date) async throws -> Bool {
        try await transaction { session in
            try await session.value(
                """
                INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), \(now.addingTimeInterval(duration)))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= \(now)
                RETURNING holder
                """, as: String.self) != nil
        }
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await transaction { session in
            try await session.execute("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)")
        }
    }
}
