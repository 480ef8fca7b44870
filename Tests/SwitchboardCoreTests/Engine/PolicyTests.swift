import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Relaxation, priority, preference")
struct PolicyTests {
    typealias K = EngineKit

    @Test("relax steps lower skills as the wait grows; authority never relaxes")
    func relaxation() throws {
        let table = K.table(refunds: {
            $0.relax = [RelaxStep(after: 20, skills: ["billing": 2]), RelaxStep(after: 60, skills: ["billing": 0])]
        })
        var engine = K.engine(
            [
                K.agent("junior", skills: ["billing": 2]),
                K.agent("novice", skills: ["general": 1], authority: ["refund_limit": .limit(1000)]),
                K.agent("lowlimit", skills: ["billing": 5], authority: ["refund_limit": .limit(50)]),
            ], table: table)
        let wait = try #require(engine.message(K.message("c1", "refund $300"), now: K.t0).waits.first)
        #expect(wait.decision?.requirements?.skills == ["billing": 3])
        #expect(engine.nextTimer == K.t0.plus(20))
        #expect(engine.tick(now: K.t0.plus(19)).isEmpty)
        let offer = try #require(engine.tick(now: K.t0.plus(20)).offers.first)
        #expect(offer.agentId == "junior")
        #expect(offer.decision.requirements?.skills == ["billing": 2])
        #expect(offer.decision.relaxed == ["after 20s: billing 2"])
        // After every step, a $300 refund still never reaches the agent whose limit is 50.
        _ = try engine.decline(handoffId: offer.handoffId, reason: "", now: K.t0.plus(21))
        let late = try #require(engine.tick(now: K.t0.plus(60)).offers.first)
        #expect(late.agentId == "novice")
        #expect(late.decision.requirements?.skills == [:])
        #expect(late.decision.requirements?.authority["refund_limit"]?.minimum == 300)
        #expect(late.decision.excluded.first { $0.agent == "lowlimit" }?.reasons == ["refund_limit 50 < 300"])
    }

    @Test("waiting conversations are offered highest priority first, then oldest first")
    func priority() throws {
        let table = K.table(general: {
            $0.priority = RoutePriority(
                base: 1, boosts: [PriorityBoost(when: try! Expression.parse(#"customer.tier == "gold""#), add: 5)])
        })
        var engine = K.engine([K.agent("a", status: .offline)], table: table)
        let gold: [String: Value] = ["tier": "gold"]
        _ = engine.message(K.message("old", "hi", at: K.t0), now: K.t0)
        _ = engine.message(K.message("gold-new", "hi", at: K.t0.plus(2), attributes: gold), now: K.t0.plus(2))
        _ = engine.message(K.message("newer", "hi", at: K.t0.plus(3)), now: K.t0.plus(3))
        let goldWait = engine.message(K.message("gold-old", "hi", at: K.t0.plus(1), attributes: gold), now: K.t0.plus(4))
        #expect(goldWait.waits.first?.priority == 6)
        var engine2 = engine
        let effects = try engine.setPresence(agentId: "a", status: .online, now: K.t0.plus(5))
        #expect(effects.offers.map(\.conversationId) == ["gold-old", "gold-new"])
        _ = try engine2.setPresence(agentId: "a", status: .online, now: K.t0.plus(5))
        // Once the golds are taken, the oldest of the rest comes next.
        for conversation in ["gold-old", "gold-new"] { _ = try engine2.resolve(conversationId: conversation, now: K.t0.plus(6)) }
        #expect(engine2.status(of: "old") == .offered)
        #expect(engine2.status(of: "newer") == .offered)
    }

    @Test("prefer previous_agent holds for a busy previous agent for prefer_for, then takes anyone")
    func stickyHold() throws {
        let table = K.table(general: { $0.preference = Preference(previousAgent: true, holdSeconds: 10) })
        var engine = K.engine([K.agent("prev", capacity: ["chat": 1]), K.agent("other")], table: table)
        let busy = try #require(engine.message(K.message("c0", "hi", previous: "prev"), now: K.t0).offers.first)
        #expect(busy.agentId == "prev")
        let held = engine.message(K.message("c1", "hi again", previous: "prev"), now: K.t0.plus(1))
        #expect(held.offers.isEmpty)
        #expect(held.waits.first?.decision?.summary == "Waiting up to 10 seconds for Prev, the customer's previous agent.")
        // other is idle and eligible, but is not offered it while the hold lasts.
        #expect(engine.tick(now: K.t0.plus(5)).isEmpty)
        let freed = try engine.resolve(conversationId: "c0", now: K.t0.plus(6))
        let offer = try #require(freed.offers.first)
        #expect(offer.agentId == "prev")
        #expect(offer.conversationId == "c1")

        var expiring = K.engine([K.agent("prev", capacity: ["chat": 1]), K.agent("other")], table: table)
        _ = expiring.message(K.message("c0", "hi", previous: "prev"), now: K.t0)
        _ = expiring.message(K.message("c1", "hi again", previous: "prev"), now: K.t0)
        #expect(expiring.nextTimer == K.t0.plus(10))
        let after = try #require(expiring.tick(now: K.t0.plus(10)).offers.first)
        #expect(after.agentId == "other")
    }

    @Test("a previous agent who is offline is never waited for")
    func stickyOffline() throws {
        let table = K.table(general: { $0.preference = Preference(previousAgent: true, holdSeconds: 10) })
        var engine = K.engine([K.agent("prev", status: .offline), K.agent("other")], table: table)
        let offer = try #require(engine.message(K.message("c1", "hi", previous: "prev"), now: K.t0).offers.first)
        #expect(offer.agentId == "other")
    }

    @Test("a conversation holding for its busy previous agent goes to another at once when that agent goes offline")
    func stickyGoesOffline() throws {
        let table = K.table(general: { $0.preference = Preference(previousAgent: true, holdSeconds: 10) })
        var engine = K.engine([K.agent("prev", capacity: ["chat": 1]), K.agent("other")], table: table)
        let busy = try #require(engine.message(K.message("c0", "hi", previous: "prev"), now: K.t0).offers.first)
        _ = try engine.accept(handoffId: busy.handoffId, now: K.t0)
        #expect(engine.message(K.message("c1", "hi again", previous: "prev"), now: K.t0.plus(1)).offers.isEmpty)
        let effects = try engine.setPresence(agentId: "prev", status: .offline, now: K.t0.plus(2))
        #expect(effects.offers.map(\.agentId) == ["other"])
        #expect(effects.offers.first?.decision.trigger == "previous agent unavailable")
    }

    @Test("prefer: none drops the previous agent's precedence")
    func preferNone() throws {
        let table = K.table(general: { $0.preference = Preference(previousAgent: false) })
        var engine = K.engine([K.agent("a"), K.agent("b")], table: table)
        let offer = try #require(engine.message(K.message("c1", "hi", previous: "b"), now: K.t0).offers.first)
        #expect(offer.agentId == "a")
    }
}

@Suite("Timers run at exactly their time")
struct ExactTimerTests {
    typealias K = EngineKit

    /// A timer's time is the wait's start plus the step, in seconds since 1970; the wait measured at that date from
    /// the start's date can come out a hair short of the step (here 19.999999996 s). The relax step must still apply,
    /// and the tick must not set the same timer again and spin on it.
    @Test("a tick at exactly a relax step's time applies it", arguments: [34993.66912858633, 41_234.5, 60_001.123456789])
    func relaxAtTheStepsTime(offset: Double) throws {
        let table = K.table(refunds: { $0.relax = [RelaxStep(after: 20, skills: ["billing": 2])] })
        let start = Date(timeIntervalSince1970: 1_767_225_600).addingTimeInterval(offset)
        var engine = K.engine([K.agent("junior", skills: ["billing": 2])], table: table)
        #expect(engine.message(K.message("c1", "refund $30", at: start), now: start).waits.count == 1)
        let due = try #require(engine.nextTimer)
        let offer = try #require(engine.tick(now: due).offers.first)
        #expect(offer.agentId == "junior")
        #expect(offer.decision.relaxed == ["after 20s: billing 2"])
    }
}
