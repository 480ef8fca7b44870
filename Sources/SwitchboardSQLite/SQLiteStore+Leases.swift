import Foundation
import GRDB
import SwitchboardStore

/// Leases on polled sources. One process uses a SQLite store, so it gets every lease it asks for unless
/// another holder of its own has it; they are kept all the same, so that both stores behave alike.
extension SQLiteStore {
    public func acquireLease(_ name: String, holder: String, for duration: Double, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                    """
            ).execute(arguments: [
                name, holder, now.timeIntervalSince1970 + duration, now.timeIntervalSince1970,
            ])
            return db.changesCount > 0
        }
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM leases WHERE name = ? AND holder = ?").execute(arguments: [
                name, holder,
            ])
        }
    }
}
