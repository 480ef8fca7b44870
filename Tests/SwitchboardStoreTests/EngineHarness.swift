import Foundation
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// A routing engine rebuilt from a store, driven the way the server's dispatcher drives it.
final class EngineHarness: Sendable {
    let store: any Store
    let engine: Mutex<RoutingEngine>

    init(store: any Store, table: RoutingTable, now: Date) async throws {
        self.store = store
        let state = try await store.routingState()
        engine = Mutex(RoutingEngine(table: table, agents: state.agents, open: state.open, now: now))
    }

    func apply(_ events: [RoutableEvent], now: Date) async throws -> ApplySummary {
        try await store.apply(events, now: now) { message in self.engine.withLock { $0.message(message, now: now) } }
    }

    /// Writes `change` and the effects of `decide` in one transaction; returns the effects.
    @discardableResult
    func commit(
        _ change: StoreChange, _ decide: @escaping @Sendable (inout RoutingEngine) throws -> [RoutingEffect]
    ) async throws -> [RoutingEffect] {
        try await store.commit(change, now: Date()) {
            let effects = try self.engine.withLock { try decide(&$0) }
            return (effects, effects)
        }
    }
}

extension Array where Element == RoutingEffect {
    var offers: [Offer] {
        compactMap { if case .offer(let offer) = $0 { offer } else { nil } }
    }
}
