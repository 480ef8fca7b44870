import Foundation
import Logging
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// The one place routing happens: it owns the routing engine, and every change that can move a
/// conversation (a message, an accept, a decline, a presence change, a transfer, a timer) runs the
/// engine inside the store transaction that records it. The store's single writer orders them.
/// Should a transaction fail after the engine moved, the engine is rebuilt from the store.
public final class Dispatcher: Sendable {
    private let store: any RoutingStore
    /// The routing table in force, from ``start(table:now:)``; replaced as a whole when a version is published.
    private let tableInForce = Mutex(RoutingTable(routes: []))
    /// Seconds a promise's follow-up holds out for the agent who made it.
    private let followUpWait: Double
    /// How much of a message the tables in force read (``RoutingTable/matchLimit``).
    private let matchLimit: Int
    private let engine = Mutex<RoutingEngine?>(nil)
    /// The store's routing version the engine reflects (a store shared by several instances only).
    private let version = Mutex<Int64?>(nil)
    let signals: RoutingSignals
    let metrics: RoutingMetrics
    private let logger: Logger

    init(
        store: any RoutingStore, signals: RoutingSignals, metrics: RoutingMetrics, followUpWait: Double = 300,
        matchLimit: Int = Expression.defaultMatchLimit, logger: Logger
    ) {
        self.store = store
        self.followUpWait = followUpWait
        self.matchLimit = matchLimit
        self.signals = signals
        self.metrics = metrics
        self.logger = logger
    }

    /// Puts `table` in force, builds the engine from the store and offers what can be offered now.
    func start(table: RoutingTable, now: Date = Date()) async throws {
        putInForce(table)
        store.attach(self)
        try await reload(now: now, reason: .start)
        try await run(.none, now: now) { engine in ((), engine.dispatchAvailable(now: now)) }
    }

    /// Rebuilds the engine inside the store's writer, so that no routing change slips between the
    /// read and the new engine.
    private func reload(now: Date, reason: EngineRebuild) async throws {
        let table = self.table
        let counts = Mutex((agents: 0, open: 0, waiting: 0))
        try await store.withRoutingState { state in
            let rebuilt = RoutingEngine(table: table, agents: state.agents, open: state.open, now: now)
            self.engine.withLock { $0 = rebuilt }
            counts.withLock { $0 = (state.agents.count, state.open.count, rebuilt.waitingCount) }
        }
        metrics.engineRebuilt(reason: reason)
        let loaded = counts.withLock { $0 }
        logger.info(
            "routing engine loaded",
            metadata: ["agents": "\(loaded.agents)", "open": "\(loaded.open)", "waiting": "\(loaded.waiting)"])
    }

    /// Catches the engine up when another instance changed the routing state since its version, so that it
    /// knows their offers' deadlines and their agents' presence (see ``RoutingStateCache``).
    func refreshIfStale() async throws {
        // Behind only: a transaction of this process advances the engine before it commits, so the engine may be
        // ahead of what is committed for a moment.
        guard let current = try await store.routingVersion(), current > routingVersion ?? -1 else { return }
        try await store.syncRoutingState()
    }

    /// The routing table in force.
    var table: RoutingTable { tableInForce.withLock { $0 } }

    /// `table`, reading as much of each message as configured, becomes the table in force.
    private func putInForce(_ table: RoutingTable) {
        var table = table
        table.matchLimit = matchLimit
        tableInForce.withLock { $0 = table }
    }

    /// Puts `table` in force: the engine is rebuilt with it inside the store's writer, so every routing
    /// change before it used the old table and every one after uses the new one. Offers and assignments
    /// already made stay with their agents; waiting conversations are matched again, and offered if the
    /// new table lets them be.
    func replaceTable(_ table: RoutingTable, now: Date = Date()) async throws {
        putInForce(table)
        try await reload(now: now, reason: .table)
        try await run(.none, now: now) { engine in ((), engine.dispatchAvailable(now: now)) }
    }

    /// When the engine next has a timer due.
    var nextTimer: Date? { engine.withLock { $0?.nextTimer } }

    /// The conversations waiting for an agent, first in line first. Read from a copy of the engine
    /// (copy-on-write, so cheap), so routing never waits for the list to be sorted.
    func waiting(now: Date = Date()) -> [WaitingConversation] {
        let engine = self.engine.withLock { $0 }
        return engine?.waitingConversations(now: now) ?? []
    }

    // MARK: changes

    /// Applies stored inbound events; returns what happened.
    func apply(_ events: [RoutableEvent], now: Date = Date()) async throws -> ApplySummary {
        try await routeMessages(now: now) { route in try await self.store.apply(events, now: now, route: route) }
    }

    /// Opens and routes the follow-ups of promises due by `now`; returns how many.
    func dispatchDuePromises(now: Date = Date(), limit: Int = 100) async throws -> Int {
        let wait = followUpWait
        return try await routeMessages(now: now) { route in
            try await self.store.dispatchDuePromises(now: now, holdForAgent: wait, limit: limit, route: route)
        }
    }

    /// Runs a store transaction that hands messages to the engine; rebuilds the engine when it fails.
    private func routeMessages<T: Sendable>(
        now: Date, _ body: (@escaping @Sendable (ConversationMessage) -> [RoutingEffect]) async throws -> T
    ) async throws -> T {
        let collected = Mutex<[RoutingEffect]>([])
        do {
            let value = try await body { message in
                let effects = self.engine.withLock { engine in engine?.message(message, now: now) ?? [] }
                collected.withLock { $0 += effects }
                return effects
            }
            observe(collected.withLock { $0 })
            return value
        } catch {
            try? await reload(now: now, reason: .failure)
            throw error
        }
    }

    func tick(now: Date = Date()) async throws {
        try await run(.none, now: now) { engine in ((), engine.tick(now: now)) }
    }

    /// Accepts an offer. With a `desk` (the caller's desk token), an offer to anyone but its agents is refused
    /// as unknown, inside the routing transaction, and the change is recorded with the token's id
    /// (``DeskAction``) in that transaction. So for declines, resolutions, transfers and presence.
    func accept(handoffId: String, desk: DeskGrant? = nil, now: Date = Date()) async throws {
        try await run(Self.recorded(.none, desk, "accept", handoffId, now), now: now) { engine in
            ((), try engine.accept(handoffId: handoffId, now: now, by: desk?.agents))
        }
    }

    func decline(handoffId: String, reason: String, desk: DeskGrant? = nil, now: Date = Date()) async throws {
        try await run(Self.recorded(.none, desk, "decline", handoffId, now), now: now) { engine in
            ((), try engine.decline(handoffId: handoffId, reason: reason, now: now, by: desk?.agents))
        }
    }

    func resolve(
        conversationId: String, outcome: String, notes: String?, promise: PromiseRequest? = nil,
        desk: DeskGrant? = nil, now: Date = Date()
    ) async throws {
        let change = StoreChange.resolution(conversationId: conversationId, outcome: outcome, notes: notes, promise: promise)
        try await run(Self.recorded(change, desk, "resolve", conversationId, now), now: now) { engine in
            ((), try engine.resolve(conversationId: conversationId, now: now, by: desk?.agents))
        }
    }

    /// Moves an accepted conversation; returns the handoff of the new offer.
    func transfer(
        conversationId: String, to target: TransferTarget, note: AgentNote?, desk: DeskGrant? = nil,
        now: Date = Date()
    ) async throws -> Offer? {
        let change: StoreChange = note.map { .note(conversationId: conversationId, $0) } ?? .none
        return try await run(Self.recorded(change, desk, "transfer", conversationId, now), now: now) { engine in
            let effects = try engine.transfer(conversationId: conversationId, to: target, now: now, by: desk?.agents)
            return (effects.lazy.compactMap { if case .offer(let offer) = $0 { offer } else { nil } }.first, effects)
        }
    }

    /// `change`, recorded as made with `desk`'s token when there is one.
    static func recorded(_ change: StoreChange, _ desk: DeskGrant?, _ action: String, _ subject: String, _ now: Date)
        -> StoreChange
    {
        guard let desk else { return change }
        return .byDesk(
            DeskAction(at: now, tokenId: desk.tokenId, agents: Array(desk.agents), action: action, subject: subject), change)
    }

    func setPresence(agentId: String, status: Presence, desk: DeskGrant? = nil, now: Date = Date()) async throws {
        let change = Self.recorded(.presence(agentId: agentId, status: status), desk, "presence \(status.rawValue)", agentId, now)
        try await run(change, now: now) { engine in
            ((), try engine.setPresence(agentId: agentId, status: status, now: now))
        }
    }

    func upsertAgent(_ agent: Agent, now: Date = Date()) async throws {
        try await run(.agent(agent), now: now) { engine in ((), engine.upsertAgent(agent, now: now)) }
    }

    /// Writes `change` and the engine's effects in one transaction. A refusal leaves the engine as it
    /// was (the engine refuses before it changes anything); any other failure rebuilds it from the store.
    private func run<T: Sendable>(
        _ change: StoreChange, now: Date,
        _ decide: @escaping @Sendable (inout RoutingEngine) throws -> (T, [RoutingEffect])
    ) async throws -> T {
        let collected = Mutex<[RoutingEffect]>([])
        do {
            let value = try await store.commit(change, now: now) {
                let (value, effects) = try self.engine.withLock { engine -> (T, [RoutingEffect]) in
                    guard engine != nil else { throw RoutingRefusal.nobodyEligible("the router is still starting") }
                    return try decide(&engine!)
                }
                collected.withLock { $0 = effects }
                return (value, effects)
            }
            observe(collected.withLock { $0 })
            return value
        } catch let refusal as RoutingRefusal {
            throw refusal
        } catch {
            logger.error("routing transaction failed; reloading the engine", metadata: ["error": "\(error)"])
            try? await reload(now: now, reason: .failure)
            throw error
        }
    }

    /// Records the metrics of committed effects and wakes the delivery and write-back services.
    private func observe(_ effects: [RoutingEffect]) {
        var deliveries = false
        var acceptances = false
        for effect in effects {
            switch effect {
            case .offer(let offer):
                deliveries = true
                if offer.decision.movedFrom != nil { metrics.transferred(route: offer.route) }
            case .followUp:
                deliveries = true
            case .accept(let acceptance):
                acceptances = true
                metrics.offerAccepted(route: acceptance.route ?? "none", timeToAgent: .milliseconds(Int64(acceptance.timeToAgent * 1000)))
            case .release(let release):
                switch release.reason {
                case .declined: metrics.offerDeclined(route: release.route ?? "none")
                case .lapsed: metrics.offerTimedOut(route: release.route ?? "none")
                case .resolved: metrics.conversationResolved(route: release.route, transfers: release.transfers)
                default: break
                }
            case .wait:
                break
            }
        }
        if deliveries { signals.deliveriesQueued() }
        if acceptances { signals.acceptancesCommitted() }
    }
}

extension Dispatcher: RoutingStateCache {
    public var routingVersion: Int64? { version.withLock { $0 } }

    public func rebuild(from state: RoutingState, version: Int64) {
        let rebuilt = RoutingEngine(table: table, agents: state.agents, open: state.open, now: Date())
        engine.withLock { $0 = rebuilt }
        self.version.withLock { $0 = version }
        metrics.engineRebuilt(reason: .peer)
        logger.debug("routing engine rebuilt: another instance changed the routing state", metadata: ["version": "\(version)"])
    }

    public func catchUp(_ changes: RoutingCatchUp, version: Int64) {
        engine.withLock { engine in
            engine?.catchUp(agents: changes.agents, conversations: changes.conversations, open: changes.open, now: Date())
        }
        self.version.withLock { $0 = version }
        metrics.engineCaughtUp()
        logger.debug(
            "routing engine caught up with another instance's changes",
            metadata: [
                "version": "\(version)", "conversations": "\(changes.conversations.count)", "agents": "\(changes.agents.count)",
            ])
    }

    public func advance(to version: Int64) {
        self.version.withLock { $0 = version }
    }
}
