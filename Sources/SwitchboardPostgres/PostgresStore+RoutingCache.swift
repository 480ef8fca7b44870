import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardSQL
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

    public func syncRoutingState() async throws {
        try await routing(changed: { _ in false }) { _ in }
    }

    static func routingVersion(_ session: PostgresSQLSession) async throws -> Int64 {
        try await session.value("SELECT version FROM routing_version WHERE id = 1", as: Int64.self) ?? 0
    }

    /// A transaction that changes routing state, with this process's engine in step: under the lock, the
    /// engine catches up on what other instances changed since its version (or is rebuilt from the whole state
    /// when those versions' records are not all there); `body` runs (asking the engine); the routing version
    /// moves on, with the conversations and agents `body` changed recorded against it; after the commit the
    /// engine is known to reflect that version.
    /// - Parameter changed: whether the transaction changed routing state (events all applied before by another
    ///   instance change nothing, and need not send every engine to catch up).
    public func routing<T: Sendable>(
        changed: @escaping @Sendable (T) -> Bool, _ body: (PostgresSQLSession) async throws -> T
    ) async throws -> T {
        try await writing { session in
            var session = session
            let touched = RoutingTouches()
            session.touched = touched
            let cache = routingCache.withLock { $0.value }
            let current = try await Self.routingVersion(session)
            if let cache, cache.routingVersion != current {
                try await Self.sync(cache, to: current, session: session)
            }
            let value = try await body(session)
            // Before the commit lets the next transaction take the lock: this process's next routing transaction
            // finds the engine at the version it reads, and catches up on nothing. (Advanced after the commit, a
            // transaction of this process waiting for the lock could read the new version first, and catch up on
            // a change it made itself.) A commit that fails leaves the engine ahead of the store; the dispatcher
            // rebuilds it then.
            guard changed(value) else {
                cache?.advance(to: current)
                return value
            }
            let version = try await Self.advanceRoutingVersion(session)
            let changes = touched.value
            try await session.run(
                """
                INSERT INTO routing_changes (version, conversations, agents)
                VALUES (\(version), \(changes.conversations.sorted())::TEXT[], \(changes.agents.sorted())::TEXT[])
                """)
            if version % 1000 == 0 {
                // Instances are seldom more than a few versions behind; one further behind rebuilds.
                try await session.execute("DELETE FROM routing_changes WHERE version <= \(version - Self.keptChanges)")
            }
            cache?.advance(to: version)
            return value
        }
    }

    /// How many versions' changes the store keeps for instances to catch up on.
    static let keptChanges: Int64 = 10_000

    /// Brings `cache` to `version`, read under the lock: it catches up on the conversations and agents the
    /// versions since its own changed, read now, when every one of those versions recorded its changes;
    /// otherwise (it is ahead after a failed commit, or too far behind, or a version moved on without a record)
    /// it is rebuilt from the whole state.
    static func sync(_ cache: any RoutingStateCache, to version: Int64, session: PostgresSQLSession) async throws {
        if let have = cache.routingVersion, have < version, version - have <= keptChanges {
            let records = try await session.rows(
                """
                SELECT conversations, agents FROM routing_changes WHERE version > \(have) AND version <= \(version)
                """, as: ([String], [String]).self)
            if records.count == Int(version - have) {
                var changes = RoutingTouch()
                for (conversations, agents) in records {
                    changes.formUnion(RoutingTouch(conversations: Set(conversations), agents: Set(agents)))
                }
                let ids = changes.conversations.sorted()
                cache.catchUp(
                    RoutingCatchUp(
                        conversations: changes.conversations,
                        open: ids.isEmpty ? [] : try await SQLRouting.openConversations(session, ids: ids),
                        agents: changes.agents.isEmpty
                            ? [] : try await SQLAgents.snapshots(session, ids: changes.agents.sorted())),
                    version: version)
                return
            }
        }
        cache.rebuild(from: try await SQLRouting.state(session), version: version)
    }

    /// Moves the routing version on, in a transaction that changed routing state without asking the engine
    /// (agents loaded at start-up): every engine, this one's too, rebuilds before it next decides.
    static func advanceRoutingVersion(_ session: PostgresSQLSession) async throws -> Int64 {
        try await session.value(
            "UPDATE routing_version SET version = version + 1 WHERE id = 1 RETURNING version", as: Int64.self) ?? 0
    }
}
