import Foundation
import GRDB
import SwitchboardSQL
import SwitchboardStore

/// What the shared store logic runs on: SQLite's sessions and transactions.
extension SQLiteStore: SQLStore {
    /// One process uses a SQLite store: nothing is claimed.
    public var claimant: SQLClaimant? { nil }

    public func reading<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await body(SQLiteSession(access: .reader(pool)))
    }

    public func transaction<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await writer.transaction(body)
    }

    public func snapshot<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await snapshotReader.snapshot(body)
    }

    /// The one writer: nothing else to take, and no other process to keep in step.
    public func routing<T: Sendable>(
        changed: @escaping @Sendable (T) -> Bool, _ body: (SQLiteSession) async throws -> T
    ) async throws -> T {
        try await writer.transaction(body)
    }

    /// No other process has an engine to rebuild.
    public func routingStateReplaced(_ session: SQLiteSession) async throws {}

    public func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws {
        try await writer.transaction { session in try body(try await SQLRouting.state(session)) }
    }
}
