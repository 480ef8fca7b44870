import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Matching: eligibility, exclusions and the rule that chose")
struct MatchingTests {
    typealias K = EngineKit

    struct ExclusionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var agent: Agent
        var reasons: [String]
        var testDescription: String { name }
    }

    static let exclusions: [ExclusionCase] = [
        .init(name: "offline", agent: K.agent("a", status: .offline), reasons: ["offline"]),
        .init(name: "away", agent: K.agent("a", status: .away), reasons: ["away"]),
        .init(name: "no capacity for the channel", agent: K.agent("a", capacity: ["email": 5]), reasons: ["no capacity for chat"]),
        .init(name: "skill too low", agent: K.agent("a", skills: ["billing": 2]), reasons: ["billing 2 < 3"]),
        .init(name: "skill missing", agent: K.agent("a", skills: ["general": 3]), reasons: ["no billing skill (needs 3)"]),
        .init(
            name: "limit too low", agent: K.agent("a", authority: ["refund_limit": .limit(50)]),
            reasons: ["refund_limit 50 < 300"]),
        .init(name: "authority missing", agent: K.agent("a", authority: [:]), reasons: ["no refund_limit (needs 300)"]),
        .init(name: "no desk", agent: K.agent("a", desk: nil), reasons: ["no desk"]),
        .init(
            name: "several at once",
            agent: K.agent("a", status: .offline, skills: ["billing": 1], authority: ["refund_limit": .limit(10)]),
            reasons: ["offline", "billing 1 < 3", "refund_limit 10 < 300"]),
    ]

    @Test("each ineligible agent is excluded with every reason, and the conversation waits", arguments: exclusions)
    func excluded(_ testCase: ExclusionCase) throws {
        var engine = K.engine([testCase.agent])
        let effects = engine.message(K.message("c1", "refund $300"), now: K.t0)
        #expect(effects.offers.isEmpty)
        let decision = try #require(effects.waits.first?.decision)
        #expect(decision.outcome == .waiting)
        #expect(decision.route == "refunds")
        #expect(decision.excluded == [Exclusion(agent: "a", reasons: testCase.reasons)])
        #expect(engine.status(of: "c1") == .waiting)
    }

    @Test("at capacity, per channel and in total")
    func capacity() throws {
        var engine = K.engine([K.agent("a", capacity: ["chat": 1, "email": 5, "total": 2])])
        #expect(engine.message(K.message("c1", "hello"), now: K.t0).offers.count == 1)
        let second = engine.message(K.message("c2", "hello"), now: K.t0)
        #expect(second.waits.first?.decision?.excluded == [Exclusion(agent: "a", reasons: ["at capacity for chat (1/1)"])])
        #expect(engine.message(K.message("c3", "hello", channel: "email"), now: K.t0).offers.count == 1)
        let fourth = engine.message(K.message("c4", "hello", channel: "email"), now: K.t0)
        #expect(fourth.waits.first?.decision?.excluded == [Exclusion(agent: "a", reasons: ["at total capacity (2/2)"])])
    }

    @Test("authority decides between two agents, and the handoff says why in a sentence")
    func authorityDecides() throws {
        var engine = K.engine([K.agent("ben", authority: ["refund_limit": .limit(50)]), K.agent("ana")])
        let offer = try #require(engine.message(K.message("c1", "I want a refund of $300"), now: K.t0).offers.first)
        #expect(offer.agentId == "ana")
        #expect(offer.decision.rule == "only eligible")
        #expect(offer.decision.excluded == [Exclusion(agent: "ben", reasons: ["refund_limit 50 < 300"])])
        #expect(offer.decision.candidates == ["ana", "ben"])
        #expect(offer.decision.why.contains("refund_limit 500 >= 300 (amount)"))
        #expect(
            offer.decision.summary
                == "Ana was chosen as the only eligible agent (0 of 2 chat slots in use) and meets billing 4 >= 3, refund_limit 500 >= 300 (amount)."
        )
    }

    @Test("the least loaded comes first, then the one idle longest, then by id")
    func ranking() throws {
        var engine = K.engine([K.agent("a", capacity: ["chat": 2]), K.agent("b", capacity: ["chat": 4])])
        let first = try #require(engine.message(K.message("c1", "hi"), now: K.t0).offers.first)
        #expect(first.agentId == "a")
        #expect(first.decision.rule == "first by id")
        // a now holds 1 of 2, b 0 of 4.
        let second = try #require(engine.message(K.message("c2", "hi"), now: K.t0.plus(1)).offers.first)
        #expect(second.agentId == "b")
        #expect(second.decision.rule == "least loaded")
        _ = try engine.resolve(conversationId: "c1", now: K.t0.plus(2))
        _ = try engine.resolve(conversationId: "c2", now: K.t0.plus(3))
        // Both idle again: a was offered one longest ago.
        let third = try #require(engine.message(K.message("c3", "hi"), now: K.t0.plus(4)).offers.first)
        #expect(third.agentId == "a")
        #expect(third.decision.rule == "idle longest")
    }

    @Test("the customer's previous agent comes first when eligible")
    func previousAgent() throws {
        var engine = K.engine([K.agent("a"), K.agent("b")])
        let offer = try #require(engine.message(K.message("c1", "hi", previous: "b"), now: K.t0).offers.first)
        #expect(offer.agentId == "b")
        #expect(offer.decision.rule == "previous agent")
        #expect(offer.decision.summary.hasPrefix("B was chosen as the customer's previous agent"))
    }

    @Test("no route applies: the conversation waits with a no_route decision")
    func noRoute() throws {
        var engine = RoutingEngine(table: RoutingTable(), agents: [AgentSnapshot(agent: K.agent("a"))], now: K.t0)
        let effects = engine.message(K.message("c1", "hi"), now: K.t0)
        #expect(effects.waits.first?.decision?.outcome == .noRoute)
    }

    @Test("a large board is matched from its ranked pools and explained by counts")
    func largeBoard() throws {
        var agents = (0..<500).map { K.agent(String(format: "g%03d", $0), skills: ["general": 3]) }
        agents += (0..<5).map { K.agent("b\($0)", status: $0 == 0 ? .offline : .online) }
        agents.append(K.agent("b9", authority: ["refund_limit": .limit(50)]))
        var engine = K.engine(agents)
        let first = try #require(engine.message(K.message("c1", "refund $100"), now: K.t0).offers.first)
        #expect(first.agentId == "b1")
        // Only the front of the pool of billing >= 3 holders with a free slot was looked at: b1 and b2.
        // The 500 without the skill and the offline b0 are counted, not looked at.
        #expect(first.decision.considered == 2)
        #expect(first.decision.eligible == ["b1", "b2"])
        #expect(first.decision.excludedCounts == ["skills": 500, "not available": 1])
        #expect(first.decision.rule == "first by id")
        #expect(first.decision.summary.hasPrefix("B1 was chosen as first by id among the equally loaded of the 5 agents with the skills and a free chat slot"))
        // b1 now holds one; b2 is next, then b3, b4 and b9; b9 lacks the authority for a $300 refund and
        // is looked at and excluded once the others are busy.
        let offers = (2...8).compactMap { engine.message(K.message("c\($0)", "refund $300"), now: K.t0.plus(Double($0))).offers.first }
        #expect(offers.map(\.agentId) == ["b2", "b3", "b4", "b1", "b2", "b3", "b4"])
        let later = try #require(offers.last)
        #expect(later.decision.excluded.contains { $0.agent == "b9" && $0.reasons == ["refund_limit 50 < 300"] })
    }
}
