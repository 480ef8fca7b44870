import Foundation
import Synchronization
import SwitchboardBench
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardStore
import Testing

/// Two instances routing on one PostgreSQL database: each one's engine catches up on what the other changed
/// (the conversations and agents each routing version recorded), and ends up as a fresh rebuild from the
/// store would make it, over random sequences of messages, accepts, declines, resolutions, presence changes
/// and lapsed offers.
@Suite("Routing catch-up across instances")
struct RoutingCatchUpTests {
    /// The engine of one instance, kept in step through the store, counting how it was kept so.
    final class InstanceEngine: RoutingStateCache {
        let table: RoutingTable
        private let state = Mutex<(engine: RoutingEngine?, version: Int64?, rebuilds: Int, catchUps: Int)>((nil, nil, 0, 0))
        let clock: Mutex<Date>

        init(table: RoutingTable, now: Date) {
            self.table = table
            clock = Mutex(now)
        }

        var routingVersion: Int64? { state.withLock { $0.version } }
        var counts: (rebuilds: Int, catchUps: Int) { state.withLock { ($0.rebuilds, $0.catchUps) } }
        var now: Date { clock.withLock { $0 } }

        func rebuild(from routing: RoutingState, version: Int64) {
            let engine = RoutingEngine(table: table, agents: routing.agents, open: routing.open, now: now)
            state.withLock { $0 = (engine, version, $0.rebuilds + 1, $0.catchUps) }
        }

        func catchUp(_ changes: RoutingCatchUp, version: Int64) {
            let now = self.now
            state.withLock { state in
                state.engine?.catchUp(agents: changes.agents, conversations: changes.conversations, open: changes.open, now: now)
                state.version = version
                state.catchUps += 1
            }
        }

        func advance(to version: Int64) { state.withLock { $0.version = version } }

        func decide(_ body: (inout RoutingEngine) throws -> [RoutingEffect]) rethrows -> [RoutingEffect] {
            try state.withLock { state in try body(&state.engine!) }
        }

        var engine: RoutingEngine { state.withLock { $0.engine! } }
    }

    /// What a routing engine shows of its state: each agent's definition, load and last assignment, where each
    /// conversation stands, and the queue in order.
    struct Observed: Equatable, CustomStringConvertible {
        var agents: [AgentSnapshot?]
        var conversations: [ConversationStatus?]
        var waiting: [WaitingConversation]

        init(_ engine: RoutingEngine, agents: [String], conversations: [String], now: Date) {
            self.agents = agents.map { engine.agent($0) }
            self.conversations = conversations.map { engine.status(of: $0) }
            waiting = engine.waitingConversations(now: now)
        }

        var description: String {
            let agents = self.agents.map { snapshot in
                snapshot.map { "\($0.agent.id) \($0.agent.status) load \($0.load) last \($0.lastAssignedAt.map { "\($0.timeIntervalSince1970)" } ?? "never")" }
                    ?? "unknown"
            }
            return "agents \(agents); conversations \(conversations.map { $0.map(\.rawValue) ?? "-" }); waiting \(waiting.map(\.conversationId))"
        }
    }

    @Test("after any sequence of changes by two instances, each engine caught up equals a fresh rebuild", arguments: [1, 2, 3, 4])
    func catchUpEqualsRebuild(seed: UInt64) async throws {
        let instances = try await PostgresInstances(2)
        defer { for store in instances.stores { store.close() } }
        let agents = ["ana", "ben", "cy"]
        try await instances.stores[0].upsertAgents(
            agents.map { StoreBehaviourTests.agent($0, chat: 2) })
        var now = StoreBehaviourTests.now
        let engines = instances.stores.map { _ in InstanceEngine(table: StoreBehaviourTests.table, now: now) }
        for (store, engine) in zip(instances.stores, engines) {
            store.attach(engine)
            try await store.syncRoutingState()
        }

        var random = SplitMix64(seed: seed)
        var conversations: [String] = []  // external ids
        var offered: [String: String] = [:]  // handoff id to conversation id, not accepted
        var accepted: [String: String] = [:]  // conversation id to handoff id
        var conversationIds: Set<String> = []
        func track(_ effects: [RoutingEffect]) {
            for effect in effects {
                switch effect {
                case .offer(let offer):
                    offered[offer.handoffId] = offer.conversationId
                    conversationIds.insert(offer.conversationId)
                case .wait(let wait): conversationIds.insert(wait.conversationId)
                case .accept(let acceptance):
                    offered[acceptance.handoffId] = nil
                    accepted[acceptance.conversationId] = acceptance.handoffId
                case .release(let release):
                    offered[release.handoffId] = nil
                    if accepted[release.conversationId] == release.handoffId { accepted[release.conversationId] = nil }
                case .followUp: break
                }
            }
        }

        for step in 0..<40 {
            now = now.addingTimeInterval(Double(1 + Int.random(in: 0..<12, using: &random)))
            let which = Int.random(in: 0..<2, using: &random)
            let (store, engine) = (instances.stores[which], engines[which])
            engine.clock.withLock { $0 = now }
            let at = now
            let collected = Mutex<[RoutingEffect]>([])
            let roll = Int.random(in: 0..<10, using: &random)
            if roll < 4 || conversations.isEmpty {
                // A message: a new conversation (sometimes from a returning customer), or more in one already open.
                let isNew = conversations.isEmpty || Int.random(in: 0..<3, using: &random) > 0
                let external = isNew ? "c-\(step)" : conversations[Int.random(in: 0..<conversations.count, using: &random)]
                if isNew { conversations.append(external) }
                let customer = "u-\(Int.random(in: 0..<5, using: &random))"
                var event = StoreBehaviourTests.event(
                    "w-\(step)", conversation: external, customerId: customer, email: "\(customer)@example.com",
                    messageId: "m-\(step)", text: "message \(step)")
                event.receivedAt = at
                _ = try await store.append(event)
                let pending = try StoreBehaviourTests.routable(try await store.pendingEvents(limit: 10))
                _ = try await store.apply(pending, now: at) { message in
                    let effects = engine.decide { $0.message(message, now: at) }
                    collected.withLock { $0 += effects }
                    return effects
                }
            } else {
                let change: StoreChange
                let decide: @Sendable (inout RoutingEngine) throws -> [RoutingEffect]
                let offers = offered.keys.sorted()
                let held = accepted.keys.sorted()
                switch roll {
                case 4 where !offers.isEmpty:
                    let handoff = offers[Int.random(in: 0..<offers.count, using: &random)]
                    (change, decide) = (.none, { try $0.accept(handoffId: handoff, now: at) })
                case 5 where !offers.isEmpty:
                    let handoff = offers[Int.random(in: 0..<offers.count, using: &random)]
                    (change, decide) = (.none, { try $0.decline(handoffId: handoff, reason: "busy", now: at) })
                case 6 where !held.isEmpty:
                    let conversation = held[Int.random(in: 0..<held.count, using: &random)]
                    (change, decide) = (
                        .resolution(conversationId: conversation, outcome: "done", notes: nil),
                        { try $0.resolve(conversationId: conversation, now: at) }
                    )
                case 7:
                    let agent = agents[Int.random(in: 0..<agents.count, using: &random)]
                    let status: Presence = Int.random(in: 0..<3, using: &random) == 0 ? .away : .online
                    (change, decide) = (
                        .presence(agentId: agent, status: status), { try $0.setPresence(agentId: agent, status: status, now: at) }
                    )
                default:
                    (change, decide) = (.none, { $0.tick(now: at) })
                }
                _ = try await store.commit(change, now: at) {
                    let effects = try engine.decide(decide)
                    collected.withLock { $0 += effects }
                    return ((), effects)
                }
            }
            track(collected.withLock { $0 })

            // The other instance catches up before it next decides; then both are what a rebuild would make.
            for (store, engine) in zip(instances.stores, engines) {
                try await store.syncRoutingState()
                let fresh = try await store.routingState()
                let rebuilt = RoutingEngine(table: StoreBehaviourTests.table, agents: fresh.agents, open: fresh.open, now: now)
                let ids = conversationIds.sorted()
                #expect(
                    Observed(engine.engine, agents: agents, conversations: ids, now: now)
                        == Observed(rebuilt, agents: agents, conversations: ids, now: now),
                    "seed \(seed), step \(step): the engine caught up differs from a rebuild")
            }
        }
        for engine in engines {
            #expect(engine.counts.rebuilds == 1, "each engine is built once, at the start: \(engine.counts)")
            #expect(engine.counts.catchUps > 5, "the instances caught up on each other's changes: \(engine.counts)")
        }
    }
}
