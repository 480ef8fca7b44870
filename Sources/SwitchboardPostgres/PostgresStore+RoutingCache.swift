import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// The engine, held weakly: it holds the store.
struct WeakRoutingCache: Sendable {
    weak var value: (any RoutingStateCache)?
}

extension PostgresStore {
    public func attach(_ cache: any RoutingStateCache) {
        routingCache.withLock { $0 = WeakRoutingCache(value: cache) }
    }

    public func routingVersion() async throws -> Int64? {
        try await reading { session in try await Self.routingVersion(session) }
    }

    static func routingVersion(_ session: PostgresSession) async throws -> Int64 {
        try await session.value("SELECT version FROM routing_version WHERE id = 1", as: Int64.self) ?? 0
    }

    /// A transaction that changes routing state, with this process's engine in step: under the lock, the
    /// engine is rebuilt from the state read now when another instance changed it since the engine was
    /// built; `body` runs (asking the engine); the routing version moves on; after the commit the engine is
    /// known to reflect that version.
    /// - Parameter changed: whether the transaction changed routing state (events all applied before by another
    ///   instance change nothing, and need not send every engine to rebuild).
    func routing<T: Sendable>(
        changed: @Sendable (T) -> Bool = { _ in true }, _ body: (PostgresSession) async throws -> T
    ) async throws -> T {
        try await writing { session in
            let cache = routingCache.withLock { $0.value }
            let current = try await Self.routingVersion(session)
            if let cache, cache.routingVersion != current {
                cache.rebuild(from: try await Self.routingState(session), version: current)
            }
            let value = try await body(session)
            // Before the commit lets the next transaction take the lock: this process's next routing transaction
            // finds the engine at the version it reads, and rebuilds nothing. (Advanced after the commit, a
            // transaction of this process waiting for the lock could read the new version first, and rebuild the
            // whole engine for a change it made itself: 27 rebuilds in 10 s of one instance under load.) A commit
            // that fails leaves the engine ahead of the store; the dispatcher rebuilds it then.
            cache?.advance(to: changed(value) ? try await Self.advanceRoutingVersion(session) : current)
            return value
        }
    }

    /// Moves the routing version on, in a transaction that changed routing state without asking the engine
    /// (agents loaded at start-up): every engine, this one's too, rebuilds before it next decides.
    static func advanceRoutingVersion(_ session: PostgresSession) async throws -> Int64 {
        try await session.value(
            "UPDATE routing_version SET version = version + 1 WHERE id = 1 RETURNING version", as: Int64.self) ?? 0
    }
}
