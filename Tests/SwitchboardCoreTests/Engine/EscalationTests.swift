import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Escalation and transfer: one hop, never a chain of queues")
struct EscalationTests {
    typealias K = EngineKit

    @Test("a message that raises the requirements above the agent's authority moves it in one hop")
    func escalation() throws {
        var engine = K.engine([K.agent("ben", authority: ["refund_limit": .limit(50)])])
        let held = try #require(engine.message(K.message("c1", "refund $20 please"), now: K.t0).offers.first)
        _ = try engine.accept(handoffId: held.handoffId, now: K.t0.plus(1))
        _ = engine.upsertAgent(K.agent("ana"), now: K.t0.plus(2))
        let effects = engine.message(K.message("c1", "actually the refund is $300", isNew: false), now: K.t0.plus(3))
        #expect(effects.followUps.isEmpty)
        #expect(effects.releases.map(\.reason) == [.moved])
        #expect(effects.releases.map(\.agentId) == ["ben"])
        let moved = try #require(effects.offers.first)
        #expect(moved.agentId == "ana")
        #expect(moved.transfers == 1)
        #expect(moved.decision.movedFrom == "ben")
        #expect(moved.decision.trigger == "escalated: ben no longer qualifies (refund_limit 50 < 300)")
        #expect(engine.agent("ben")?.load == [:])
    }

    @Test("an escalation with nobody eligible waits for the right agent, and the later offer counts the hop")
    func escalationWaits() throws {
        var engine = K.engine([K.agent("ben", authority: ["refund_limit": .limit(50)])])
        let held = try #require(engine.message(K.message("c1", "refund $20"), now: K.t0).offers.first)
        _ = try engine.accept(handoffId: held.handoffId, now: K.t0)
        let effects = engine.message(K.message("c1", "make the refund $300", isNew: false), now: K.t0.plus(1))
        #expect(effects.releases.map(\.reason) == [.moved])
        #expect(effects.waits.count == 1)
        let later = try #require(engine.upsertAgent(K.agent("ana"), now: K.t0.plus(2)).offers.first)
        #expect(later.agentId == "ana")
        #expect(later.transfers == 1)
        #expect(later.decision.movedFrom == "ben")
    }

    @Test("a transfer to a named agent goes straight to them; the route's authority still applies")
    func transferNamed() throws {
        var engine = K.engine([
            K.agent("ana"), K.agent("ben", authority: ["refund_limit": .limit(50)]), K.agent("cy", capacity: ["chat": 3]),
        ])
        let offer = try #require(engine.message(K.message("c1", "refund $300"), now: K.t0).offers.first)
        #expect(offer.agentId == "ana")
        #expect(throws: RoutingRefusal.notAccepted("c1")) {
            try engine.transfer(conversationId: "c1", to: .agent("cy"), now: K.t0)
        }
        _ = try engine.accept(handoffId: offer.handoffId, now: K.t0)
        #expect(throws: RoutingRefusal.notEligible(Exclusion(agent: "ben", reasons: ["refund_limit 50 < 300"]))) {
            try engine.transfer(conversationId: "c1", to: .agent("ben"), now: K.t0.plus(1))
        }
        #expect(throws: RoutingRefusal.unknownAgent("zed")) {
            try engine.transfer(conversationId: "c1", to: .agent("zed"), now: K.t0.plus(1))
        }
        let effects = try engine.transfer(conversationId: "c1", to: .agent("cy"), now: K.t0.plus(2))
        let moved = try #require(effects.offers.first)
        #expect(moved.agentId == "cy")
        #expect(moved.transfers == 1)
        #expect(moved.decision.rule == "named")
        #expect(moved.decision.trigger == "transfer by ana")
        #expect(engine.agent("ana")?.load == [:])
    }

    @Test("a transfer by requirements goes to the best agent who meets them, or is refused without queueing")
    func transferByRequirements() throws {
        var engine = K.engine([K.agent("ana", skills: ["general": 3]), K.agent("lex", skills: ["legal": 4])])
        let offer = try #require(engine.message(K.message("c1", "hello"), now: K.t0).offers.first)
        #expect(offer.agentId == "ana")
        _ = try engine.accept(handoffId: offer.handoffId, now: K.t0)
        #expect(throws: RoutingRefusal.nobodyEligible("2 skills")) {
            try engine.transfer(conversationId: "c1", to: .requirements(Requirements(skills: ["legal": 5])), now: K.t0)
        }
        #expect(engine.status(of: "c1") == .assigned)
        let moved = try #require(
            try engine.transfer(conversationId: "c1", to: .requirements(Requirements(skills: ["legal": 3])), now: K.t0).offers.first)
        #expect(moved.agentId == "lex")
        #expect(moved.transfers == 1)
    }
}
