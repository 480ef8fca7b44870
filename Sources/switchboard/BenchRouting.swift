import ArgumentParser
import Foundation
import SwitchboardCore

/// `switchboard bench routing`: the routing engine alone, in memory, at the scale of a large contact
/// centre: many agents and skills, and a long queue. Prints the latency of single decisions and of
/// re-evaluating the queue when one agent frees one slot. Run it on a release build.
struct BenchRouting: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing", abstract: "Benchmark routing decisions in memory (release build: make bench-routing).")

    @Option(help: "Agents.") var agents = 20_000
    @Option(help: "Distinct skills; each agent holds 8 of them.") var skills = 200
    @Option(help: "Routes in the table, each requiring one skill (every fourth a second one).") var routes = 50
    @Option(help: "Conversations left waiting in the queue.") var waiting = 100_000
    @Option(help: "Timed operations per figure.") var samples = 20_000
    @Option(help: "Seed of the random scenario.") var seed: UInt64 = 42

    func run() throws {
        var rng = SplitMix(state: seed)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let table = try makeTable()
        let board = makeAgents(&rng)
        var engine = RoutingEngine(table: table, agents: board.map { AgentSnapshot(agent: $0) }, now: start)
        print("scenario: \(agents) agents, \(skills) skills (8 each, levels 1-5), \(routes) routes, then \(waiting) waiting")

        // 1. Decisions while agents have room: each new conversation is matched and offered.
        var held: [String] = []
        var next = 0
        var now = start
        let withRoom = timeArrivals(&engine, &rng, next: &next, now: &now, held: &held, step: 0)
        withRoom.offered.print("decision, agents with room, new conversation offered")
        withRoom.waited.print("decision, agents with room, new conversation waits")

        // 2. Fill every slot, then build the queue.
        let fillBegan = ContinuousClock.now
        while engine.waitingCount < waiting {
            now = now.addingTimeInterval(0.001)
            let effects = engine.message(makeMessage(&rng, number: next, at: now), now: now)
            next += 1
            held += effects.offeredConversations
        }
        print("filled: \(held.count) conversations offered, \(engine.waitingCount) waiting, in \(ContinuousClock.now - fillBegan) (\(next) decisions)")

        // 3. Decisions with a long queue: new arrivals that must wait.
        let queued = timeArrivals(&engine, &rng, next: &next, now: &now, held: &held, step: 0.001)
        queued.waited.print("decision, \(engine.waitingCount) waiting, new conversation waits")
        queued.offered.print("decision, \(engine.waitingCount) waiting, new conversation offered")

        // 4. One agent frees one slot: resolve a held conversation; the queue is searched for the
        // best conversation that agent can take, which is offered at once.
        var freeing = Timings()
        var reoffered = 0
        for _ in 0..<samples {
            guard !held.isEmpty else { break }
            now = now.addingTimeInterval(0.001)
            let index = Int.random(in: 0..<held.count, using: &rng)
            let conversation = held.swapRemoveAt(index)
            let began = ContinuousClock.now
            let effects = try engine.resolve(conversationId: conversation, now: now)
            freeing.add(ContinuousClock.now - began)
            let offered = effects.offeredConversations
            reoffered += offered.count
            held += offered
        }
        freeing.print("one slot freed -> queue re-evaluated and offered (\(reoffered) offers)")
        print("memory: \(Self.residentMegabytes().map { "\($0) MiB resident" } ?? "unknown")")
    }

    /// Times `samples` new conversations, each one decision, split by whether it was offered or waits.
    private func timeArrivals(
        _ engine: inout RoutingEngine, _ rng: inout SplitMix, next: inout Int, now: inout Date, held: inout [String],
        step: Double
    ) -> (offered: Timings, waited: Timings) {
        var offered = Timings()
        var waited = Timings()
        for _ in 0..<samples {
            now = now.addingTimeInterval(step)
            let message = makeMessage(&rng, number: next, at: now)
            next += 1
            let began = ContinuousClock.now
            let effects = engine.message(message, now: now)
            let elapsed = ContinuousClock.now - began
            let offers = effects.offeredConversations
            if offers.isEmpty { waited.add(elapsed) } else { offered.add(elapsed) }
            held += offers
        }
        return (offered, waited)
    }

    private func makeTable() throws -> RoutingTable {
        let amount = Fact(name: "amount", rule: .extract(try FactPattern(#"\$\s?([0-9]+)"#), as: .number))
        let gold = PriorityBoost(when: try Expression.parse(#"customer.tier == "gold""#), add: 5)
        var table: [Route] = (0..<routes - 1).map { index in
            let first = "s\((2 * index) % skills)"
            let second = "s\((2 * index + 1) % skills)"
            return Route(
                name: "topic-\(index)", when: try! Expression.parse(#"attributes.topic == "t\#(index)""#),
                requirements: Requirements(
                    skills: index % 4 == 0 ? [first: 3, second: 2] : [first: 3],
                    authority: index % 5 == 0 ? ["refund_limit": .fact("amount")] : [:]),
                priority: RoutePriority(base: 1, boosts: [gold]),
                relax: [RelaxStep(after: 30, skills: [first: 2])])
        }
        table.append(Route(name: "general", requirements: Requirements(skills: ["s\(skills - 1)": 1])))
        return RoutingTable(facts: [amount], routes: table)
    }

    private func makeAgents(_ rng: inout SplitMix) -> [Agent] {
        let desk = SwitchboardCore.Desk(url: "http://127.0.0.1:9/handoffs", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        return (0..<agents).map { index in
            var held: [String: Int] = [:]
            while held.count < 8 { held["s\(Int.random(in: 0..<skills, using: &rng))"] = Int.random(in: 1...5, using: &rng) }
            return Agent(
                id: String(format: "agent-%05d", index), name: "Agent \(index)",
                status: Int.random(in: 0..<20, using: &rng) == 0 ? .offline : .online, skills: held,
                authority: ["refund_limit": .limit([100, 500, 1000, 5000].randomElement(using: &rng)!)],
                capacity: ["chat": 3, "email": 5, "total": 6], desk: desk)
        }
    }

    private func makeMessage(_ rng: inout SplitMix, number: Int, at now: Date) -> ConversationMessage {
        let topic = Int.random(in: 0..<routes, using: &rng)
        let channel = Bool.random(using: &rng) ? "chat" : "email"
        let text = Int.random(in: 0..<3, using: &rng) == 0 ? "please refund $\(Int.random(in: 10...3000, using: &rng))" : "help"
        let id = "cv-\(number)"
        let message = InboundMessage(
            source: "bench", conversationId: id, channel: channel,
            customer: CustomerInfo(externalId: "u-\(number)", name: nil, email: nil, phone: nil), messageId: "m-\(number)",
            text: text, sentAt: now,
            attributes: ["topic": .string("t\(topic)"), "tier": .string(Int.random(in: 0..<10, using: &rng) == 0 ? "gold" : "basic")])
        return ConversationMessage(
            conversationId: id, channel: channel, message: message, receivedAt: now, isNew: true, previousAgentId: nil,
            transfers: 0)
    }

    static func residentMegabytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }
}

/// Latencies of one kind of operation, printed as percentiles.
struct Timings {
    private var nanoseconds: [Int64] = []

    mutating func add(_ duration: Duration) {
        nanoseconds.append(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The latency at `fraction` (0.99 for p99) in microseconds, as `print` reports it.
    func micros(at fraction: Double) -> Double? {
        let sorted = nanoseconds.sorted()
        guard !sorted.isEmpty else { return nil }
        return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]) / 1000
    }

    func print(_ label: String) {
        let sorted = nanoseconds.sorted()
        guard !sorted.isEmpty else { return }
        func micros(_ fraction: Double) -> String {
            let value = Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]) / 1000
            return String(format: "%.1f", value)
        }
        Swift.print(
            "\(label): n=\(sorted.count) median \(micros(0.5)) µs, p99 \(micros(0.99)) µs, max \(String(format: "%.1f", Double(sorted.last!) / 1000)) µs"
        )
    }
}

/// A small deterministic generator, so that a scenario can be repeated.
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

extension Array where Element == RoutingEffect {
    var offeredConversations: [String] {
        compactMap { if case .offer(let offer) = $0 { offer.conversationId } else { nil } }
    }
}

extension Array {
    mutating func swapRemoveAt(_ index: Int) -> Element {
        swapAt(index, count - 1)
        return removeLast()
    }
}
