import Foundation
import Testing

@testable import SwitchboardCore

/// Random arrivals, presence changes, declines, lapses, transfers, resolutions and new messages;
/// after every step the engine's invariants must hold.
@Suite("Routing engine properties")
struct EnginePropertyTests {
    typealias K = EngineKit

    /// A small deterministic generator, so that a failing seed can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func world(_ rng: inout SplitMix, agents count: Int) -> (RoutingTable, [Agent]) {
        let table = K.table(
            refunds: {
                $0.relax = [RelaxStep(after: 20, skills: ["billing": 1]), RelaxStep(after: 40, dropsPreference: true)]
                $0.preference = Preference(previousAgent: true, holdSeconds: 10)
                $0.offerTimeout = 15
            },
            general: {
                $0.priority = RoutePriority(
                    base: 1, boosts: [PriorityBoost(when: try! Expression.parse(#"customer.tier == "gold""#), add: 3)])
                $0.offerTimeout = 30
            })
        let agents = (0..<count).map { index in
            K.agent(
                "a\(index)", status: [Presence.online, .online, .away, .offline].randomElement(using: &rng)!,
                skills: ["billing": Int.random(in: 1...5, using: &rng), "general": Int.random(in: 1...3, using: &rng)],
                authority: ["refund_limit": .limit([0, 50, 200, 500, 1000].randomElement(using: &rng)!)],
                capacity: ["chat": Int.random(in: 1...3, using: &rng), "email": Int.random(in: 0...2, using: &rng)]
                    .merging(Bool.random(using: &rng) ? ["total": 3] : [:]) { a, _ in a })
        }
        return (table, agents)
    }

    /// Small boards are scanned in full; boards above `AgentBoard.fullScanLimit` go through the indexes
    /// (the agents holding the required skills, the agents with a free slot on the channel).
    static let worlds: [(seed: Int, agents: Int)] =
        (0..<24).map { ($0, 6) } + (100..<106).map { ($0, AgentBoard.fullScanLimit + 16) }

    @Test("authority, capacity, declines and idle agents hold under random operations", arguments: worlds)
    func invariants(seed: Int, agentCount: Int) throws {
        var rng = SplitMix(state: UInt64(seed))
        let (table, agents) = Self.world(&rng, agents: agentCount)
        var engine = RoutingEngine(table: table, agents: agents.map { AgentSnapshot(agent: $0) }, now: K.t0)
        var now = K.t0
        var declinedPairs: Set<[String]> = []
        var open: [String] = []
        var counter = 0
        for step in 0..<400 {
            var effects: [RoutingEffect] = []
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<30:
                counter += 1
                let id = "c\(counter)"
                let text = Bool.random(using: &rng) ? "refund $\([10, 100, 300, 700, 2000].randomElement(using: &rng)!)" : "hello"
                let attributes: [String: Value] = Bool.random(using: &rng) ? ["tier": "gold"] : [:]
                let previous = Bool.random(using: &rng) ? agents.randomElement(using: &rng)!.id : nil
                effects = engine.message(
                    K.message(id, text, at: now, channel: Bool.random(using: &rng) ? "chat" : "email",
                        attributes: attributes, previous: previous), now: now)
                open.append(id)
            case 30..<40:
                guard let id = open.randomElement(using: &rng), engine.status(of: id) != nil else { continue }
                let text = Bool.random(using: &rng) ? "now it is $\([20, 400, 900].randomElement(using: &rng)!) refund" : "still there?"
                let channel = engine.conversations[id]!.channel
                effects = engine.message(K.message(id, text, at: now, channel: channel, isNew: false), now: now)
            case 40..<55:
                guard let (handoff, _) = engine.handoffs.randomElement(using: &rng) else { continue }
                effects = (try? engine.accept(handoffId: handoff, now: now)) ?? []
            case 55..<67:
                guard let (handoff, _) = engine.handoffs.randomElement(using: &rng) else { continue }
                effects = (try? engine.decline(handoffId: handoff, reason: "busy", now: now)) ?? []
            case 67..<77:
                let agent = agents.randomElement(using: &rng)!.id
                effects = try engine.setPresence(agentId: agent, status: Presence.allCases.randomElement(using: &rng)!, now: now)
            case 77..<87:
                guard let id = open.randomElement(using: &rng), engine.conversations[id]?.holder != nil else { continue }
                effects = try engine.resolve(conversationId: id, now: now)
                declinedPairs = declinedPairs.filter { $0[0] != id }
            case 87..<92:
                guard let id = open.randomElement(using: &rng), engine.status(of: id) == .assigned else { continue }
                let target: TransferTarget =
                    Bool.random(using: &rng)
                    ? .agent(agents.randomElement(using: &rng)!.id)
                    : .requirements(Requirements(skills: ["general": Int.random(in: 1...3, using: &rng)]))
                effects = (try? engine.transfer(conversationId: id, to: target, now: now)) ?? []
            default:
                now = now.plus(Double.random(in: 0.5...12, using: &rng))
            }
            effects += engine.tick(now: now)
            for effect in effects {
                if case .offer(let offer) = effect {
                    #expect(!declinedPairs.contains([offer.conversationId, offer.agentId]), "seed \(seed) step \(step): re-offered after decline")
                }
                if case .release(let release) = effect, release.reason.excludesAgent {
                    declinedPairs.insert([release.conversationId, release.agentId])
                }
            }
            try check(engine, now: now, context: "seed \(seed) step \(step)")
        }
    }

    func check(_ engine: RoutingEngine, now: Date, context: String) throws {
        var held: [Int: [Int: Int]] = [:]
        for state in engine.conversations.values {
            guard let holder = state.holder else {
                #expect(engine.queue.contains(state.id) || state.route == nil, "\(context): \(state.id) is neither held nor queued")
                continue
            }
            held[holder.agent, default: [:]][holder.channel, default: 0] += 1
            let board = engine.board
            let authority = ResolvedRequirements(skills: [:], authority: state.base?.authority ?? [:])
            #expect(
                Need(authority, on: board).authorityMet(holder.agent, on: board),
                "\(context): \(state.id) held by \(board.slots[holder.agent].agent.id) without authority")
        }
        let board = engine.board
        for (index, slot) in board.slots.enumerated() {
            for channel in board.channels.values {
                #expect(board.load(index, channel: channel) == held[index]?[channel] ?? 0, "\(context): load of \(slot.agent.id) drifted")
                #expect(board.load(index, channel: channel) <= board.capacity(index, channel: channel), "\(context): \(slot.agent.id) over capacity")
            }
            if let total = slot.agent.totalCapacity { #expect(board.totalLoad(index) <= total, "\(context): over total capacity") }
        }
        for state in engine.conversations.values where state.holder == nil && state.route != nil {
            for (index, slot) in board.slots.enumerated() {
                guard let channel = board.channelId(state.channel), board.canTakeMore(index, channel: channel) else { continue }
                #expect(!engine.acceptsNow(state.id, agent: index, now: now), "\(context): \(state.id) waits while \(slot.agent.id) is idle")
            }
        }
    }
}
