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
        try await read { connection in
            try await connection.query("SELECT version FROM routing_version WHERE id = 1", logger: logger)
                .collect().first?.decode(Int64.self)
        }
    }

    /// Inside a routing transaction, under the lock: rebuilds this process's engine from the state read now
    /// when another instance changed it since the engine was built. Returns the version the transaction starts from.
    @discardableResult
    func syncRoutingCache(
        _ connection: PostgresConnection, state: (PostgresConnection) async throws -> RoutingState
    ) async throws -> Int64 {
        let rows = try await connection.query(
            "SELECT version FROM routing_version WHERE id = 1", logger: logger
        ).collect()
        let version = try rows.first?.decode(Int64.self) ?? 0
        if let cache = routingCache.withLock({ $0.value }), cache.routingVersion != version {
            cache.rebuild(from: try await state(connection), version: version)
        }
        return version
    }

    /// Moves the routing version on, in the transaction that changed routing state; returns the new version.
    func advanceRoutingVersion(_ connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query(
            "UPDATE routing_version SET version = version + 1 WHERE id = 1 RETURNING version", logger: logger
        ).collect()
        return try rows.first?.decode(Int64.self) ?? 0
    }

    /// After a routing transaction committed as `version`: this process's engine made that change, so it is current.
    func routingCommitted(_ version: Int64) {
        routingCache.withLock { $0.value }?.advance(to: version)
    }
}
