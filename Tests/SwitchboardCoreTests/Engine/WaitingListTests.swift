import Foundation
import Testing

@testable import SwitchboardCore

@Suite("The live queue: waiting conversations in the order they will be offered")
struct WaitingListTests {
    typealias K = EngineKit

    @Test(
        "lists only conversations nobody holds, highest priority first, then the longest wait, with how long each waited"
    )
    func order() throws {
        let table = K.table(refunds: { $0.priority = RoutePriority(base: 5) })
        // One agent with one chat slot: the first conversation is offered, the rest wait.
        var engine = K.engine([K.agent("a", capacity: ["chat": 1])], table: table)
        #expect(engine.message(K.message("c1", "hi", at: K.t0), now: K.t0).offers.count == 1)
        _ = engine.message(K.message("c2", "my parcel is late", at: K.t0.plus(1)), now: K.t0.plus(1))
        _ = engine.message(K.message("c3", "where is my order", at: K.t0.plus(2)), now: K.t0.plus(2))
        _ = engine.message(K.message("c4", "I want a refund of $20", at: K.t0.plus(3)), now: K.t0.plus(3))
        _ = engine.message(K.message("c5", "hello", at: K.t0.plus(4), channel: "sms"), now: K.t0.plus(4))

        let waiting = engine.waitingConversations(now: K.t0.plus(10))
        #expect(waiting.map(\.conversationId) == ["c4", "c2", "c3", "c5"])
        #expect(waiting.map(\.route) == ["refunds", "general", "general", "general"])
        #expect(waiting.map(\.priority) == [5, 0, 0, 0])
        #expect(waiting.map(\.waited) == [7, 9, 8, 6])
        #expect(waiting.last?.channel == "sms")
        #expect(waiting.first?.queuedAt == K.t0.plus(3))
    }

    @Test("a conversation leaves the list once offered, and one that no route applies to is listed without a route")
    func leavesWhenOffered() throws {
        let table = K.table(general: { $0.when = try! Expression.parse(#"text matches "(?i)parcel""#) })
        var engine = K.engine([K.agent("a", status: .offline)], table: table)
        _ = engine.message(K.message("c1", "my parcel is late"), now: K.t0)
        _ = engine.message(K.message("c2", "good morning"), now: K.t0.plus(1))
        #expect(engine.waitingConversations(now: K.t0.plus(2)).map(\.conversationId) == ["c1", "c2"])
        #expect(engine.waitingConversations(now: K.t0.plus(2)).map(\.route) == ["general", nil])

        let offered = try engine.setPresence(agentId: "a", status: .online, now: K.t0.plus(3))
        #expect(offered.offers.map(\.conversationId) == ["c1"])
        #expect(engine.waitingConversations(now: K.t0.plus(4)).map(\.conversationId) == ["c2"])
    }
}
