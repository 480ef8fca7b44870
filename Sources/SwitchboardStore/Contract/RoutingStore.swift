import Foundation
import SwitchboardCore

/// What the router reads and writes. Routing decisions are made by pure code in `SwitchboardCore`; the
/// store gathers what they need and commits their results atomically, together with the router's progress.
public protocol RoutingStore: Sendable {
    /// Inbound events the router has not applied yet, oldest first.
    func pendingEvents(limit: Int) async throws -> [PendingEvent]

    /// Applies normalised events in order: resolves the customer, records the conversation and
    /// message, asks `route` (the routing engine) what follows and persists its effects, and advances
    /// the router's cursor, all in one transaction. Events at or before the cursor are skipped.
    func apply(
        _ events: [RoutableEvent], now: Date, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> ApplySummary

    /// Writes `change`, then asks `decide` (the routing engine) what follows and persists its effects,
    /// all in one transaction. A `decide` that throws leaves nothing written.
    func commit<T: Sendable>(
        _ change: StoreChange, now: Date, decide: @escaping @Sendable () throws -> (T, [RoutingEffect])
    ) async throws -> T

    /// What the routing engine is rebuilt from: every agent with the load they hold, and every
    /// waiting or held conversation.
    func routingState() async throws -> RoutingState

    /// Reads the routing state inside the writer and hands it to `body`, so that no routing change
    /// commits between the read and what `body` builds from it.
    func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws

    /// Keeps `cache` (the router's engine) in step with the routing changes other processes commit to this
    /// store. See ``RoutingStateCache``; a store only one process uses ignores it.
    func attach(_ cache: any RoutingStateCache)

    /// The version of the routing state now; nil for a store only one process uses.
    func routingVersion() async throws -> Int64?

    /// Brings the attached cache up to the store's routing version, under the store's lock (see
    /// ``RoutingStateCache``), changing nothing.
    func syncRoutingState() async throws

    /// Creates or replaces agents by id (definition and presence).
    func upsertAgents(_ agents: [Agent]) async throws

    /// All agents with their live load, in id order.
    func agentSnapshots() async throws -> [AgentSnapshot]

    /// Opens a follow-up for each promise due by `now` (at most `limit`), holding out `holdForAgent`
    /// seconds for the agent who made it, and asks `route` what follows, in one transaction. Returns
    /// how many were opened.
    func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int

    /// When the next open promise falls due.
    func nextPromiseDue() async throws -> Date?

    /// Promises past due and not kept.
    func overduePromises(now: Date) async throws -> Int
}

extension RoutingStore {
    /// A store only one process uses has nothing to keep in step.
    public func attach(_ cache: any RoutingStateCache) {}

    /// A store only one process uses has no version.
    public func routingVersion() async throws -> Int64? { nil }

    /// A store only one process uses has nothing to keep in step.
    public func syncRoutingState() async throws {}
}
