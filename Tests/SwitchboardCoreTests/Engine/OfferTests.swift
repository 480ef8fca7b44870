import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Offers: accept, decline, lapse, withdraw")
struct OfferTests {
    typealias K = EngineKit

    @Test("capacity is held from the offer on, and accepting measures the time to agent from the wait's start")
    func acceptance() throws {
        var engine = K.engine([K.agent("a", capacity: ["chat": 1])])
        let offer = try #require(engine.message(K.message("c1", "hi", at: K.t0), now: K.t0.plus(2)).offers.first)
        #expect(engine.status(of: "c1") == .offered)
        #expect(engine.agent("a")?.load == ["chat": 1])
        #expect(engine.message(K.message("c2", "hi"), now: K.t0.plus(3)).offers.isEmpty)
        let accepted = try #require(try engine.accept(handoffId: offer.handoffId, now: K.t0.plus(7)).acceptances.first)
        #expect(accepted.timeToAgent == 7)
        #expect(accepted.route == "general")
        #expect(engine.status(of: "c1") == .assigned)
        #expect(try engine.accept(handoffId: offer.handoffId, now: K.t0.plus(8)).isEmpty)
        #expect(throws: RoutingRefusal.alreadyAccepted(offer.handoffId)) {
            try engine.decline(handoffId: offer.handoffId, reason: "no", now: K.t0.plus(9))
        }
    }

    @Test("a declined conversation goes straight to the next best agent, never back, keeping its wait")
    func decline() throws {
        var engine = K.engine([K.agent("a"), K.agent("b"), K.agent("c")])
        let first = try #require(engine.message(K.message("c1", "hi", at: K.t0), now: K.t0).offers.first)
        #expect(first.agentId == "a")
        let afterA = try engine.decline(handoffId: first.handoffId, reason: "in a meeting", now: K.t0.plus(5))
        #expect(afterA.releases.map(\.reason) == [.declined("in a meeting")])
        let second = try #require(afterA.offers.first)
        #expect(second.agentId == "b")
        #expect(second.queuedAt == K.t0)
        #expect(second.decision.trigger == "declined by a: in a meeting")
        #expect(second.decision.declined == ["a"])
        #expect(second.decision.waitedMs == 5000)
        let third = try #require(try engine.decline(handoffId: second.handoffId, reason: "", now: K.t0.plus(6)).offers.first)
        #expect(third.agentId == "c")
        // Nobody left who has not declined: it waits, and a and b, though free, are never offered it again.
        let afterC = try engine.decline(handoffId: third.handoffId, reason: "", now: K.t0.plus(7))
        #expect(afterC.offers.isEmpty)
        let wait = try #require(afterC.waits.first?.decision)
        #expect(wait.excluded.map(\.agent) == ["a", "b", "c"])
        #expect(wait.excluded.allSatisfy { $0.reasons == ["declined"] })
        #expect(engine.status(of: "c1") == .waiting)
    }

    @Test("no answer within the route's offer_timeout counts as a decline")
    func lapse() throws {
        var engine = K.engine([K.agent("a"), K.agent("b")], table: K.table(general: { $0.offerTimeout = 10 }))
        let first = try #require(engine.message(K.message("c1", "hi"), now: K.t0).offers.first)
        #expect(first.deadline == K.t0.plus(10))
        #expect(engine.nextTimer == K.t0.plus(10))
        #expect(engine.tick(now: K.t0.plus(9.9)).isEmpty)
        let effects = engine.tick(now: K.t0.plus(10))
        #expect(effects.releases.map(\.reason) == [.lapsed])
        let second = try #require(effects.offers.first)
        #expect(second.agentId == "b")
        #expect(second.decision.trigger == "offer to a lapsed unanswered")
        #expect(second.decision.declined == ["a"])
        // An accepted offer never lapses.
        _ = try engine.accept(handoffId: second.handoffId, now: K.t0.plus(11))
        #expect(engine.tick(now: K.t0.plus(100)).isEmpty)
        #expect(engine.status(of: "c1") == .assigned)
    }

    @Test("going away re-routes unaccepted offers at once; accepted conversations stay")
    func away() throws {
        var engine = K.engine([K.agent("a", capacity: ["chat": 3]), K.agent("b")])
        let kept = try #require(engine.message(K.message("c1", "hi"), now: K.t0).offers.first)
        _ = try engine.accept(handoffId: kept.handoffId, now: K.t0)
        // b is now less loaded; make a the only choice for the second conversation.
        _ = try engine.setPresence(agentId: "b", status: .offline, now: K.t0)
        let offered = try #require(engine.message(K.message("c2", "hi"), now: K.t0.plus(1)).offers.first)
        #expect(offered.agentId == "a")
        _ = try engine.setPresence(agentId: "b", status: .online, now: K.t0.plus(2))
        let effects = try engine.setPresence(agentId: "a", status: .away, now: K.t0.plus(3))
        #expect(effects.releases.map(\.handoffId) == [offered.handoffId])
        #expect(effects.releases.map(\.reason) == [.withdrawn])
        #expect(effects.offers.map(\.agentId) == ["b"])
        #expect(engine.status(of: "c1") == .assigned)
        #expect(engine.agent("a")?.load == ["chat": 1])
    }

    @Test("freed capacity goes to the waiting conversation at once")
    func freedCapacity() throws {
        var engine = K.engine([K.agent("a", capacity: ["chat": 1])])
        let first = try #require(engine.message(K.message("c1", "hi"), now: K.t0).offers.first)
        #expect(engine.message(K.message("c2", "hi"), now: K.t0.plus(1)).offers.isEmpty)
        _ = try engine.accept(handoffId: first.handoffId, now: K.t0.plus(2))
        let effects = try engine.resolve(conversationId: "c1", now: K.t0.plus(3))
        #expect(effects.releases.map(\.reason) == [.resolved])
        let next = try #require(effects.offers.first)
        #expect(next.conversationId == "c2")
        #expect(next.decision.trigger == "agent available: a")
        #expect(engine.status(of: "c1") == nil)
    }

    @Test("a new message in a held conversation is a follow-up to its agent")
    func followUp() throws {
        var engine = K.engine([K.agent("a"), K.agent("b")])
        let offer = try #require(engine.message(K.message("c1", "hi"), now: K.t0).offers.first)
        let effects = engine.message(K.message("c1", "are you there?", isNew: false), now: K.t0.plus(1))
        #expect(effects.followUps.map(\.agentId) == [offer.agentId])
        #expect(effects.followUps.map(\.handoffId) == [offer.handoffId])
        #expect(effects.offers.isEmpty)
    }

    @Test("a rebuilt engine keeps an offer's deadline: one that passed meanwhile lapses at the next tick")
    func restoredDeadline() throws {
        let open = OpenConversation(
            conversationId: "c1", channel: "chat", message: K.message("c1", "hi").message, queuedAt: K.t0,
            previousAgentId: nil, declined: [], transfers: 0,
            holding: .init(agentId: "a", handoffId: "ho_1", accepted: false, deadline: K.t0.plus(30)))
        // Rebuilt before the deadline (another instance's change): the deadline stands.
        var early = RoutingEngine(
            table: K.table(), agents: [AgentSnapshot(agent: K.agent("a"), load: ["chat": 1])], open: [open],
            now: K.t0.plus(20))
        #expect(early.nextTimer == K.t0.plus(30))
        #expect(early.tick(now: K.t0.plus(29)).isEmpty)
        #expect(early.tick(now: K.t0.plus(30)).releases.map(\.reason) == [.lapsed])
        // Rebuilt after it (a restart ten minutes later): it lapses at the first tick, not a timeout later.
        let restart = K.t0.plus(600)
        var late = RoutingEngine(
            table: K.table(), agents: [AgentSnapshot(agent: K.agent("a"), load: ["chat": 1])], open: [open], now: restart)
        #expect(late.status(of: "c1") == .offered)
        #expect(late.tick(now: restart).releases.map(\.reason) == [.lapsed])
    }
}
