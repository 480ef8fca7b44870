import Foundation
import Logging
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore
import Testing

@testable import SwitchboardServer

/// An offer nobody answers, through the dispatcher and a real SQLite store with an injected clock: the routes'
/// YAML has no `offer_timeout` key yet, so the table's timeout is set in code and time is passed to each call
/// instead of waited for.
@Suite("Offer lapse")
struct OfferLapseTests {
    static func agent(_ id: String) -> String {
        "{id: \(id), name: \(id.capitalized), status: online, skills: {general: 2}, capacity: {chat: 3}, "
            + "desk: {url: \"http://127.0.0.1:9/handoffs\", secret: \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}}"
    }

    @Test("no answer by offer_timeout counts as a decline: the next agent is offered it, and the first never again")
    func lapse() async throws {
        let environment = try TestEnvironment(agents: [Self.agent("ana"), Self.agent("ben")])
        defer { environment.remove() }
        var table = try RoutesLoader.load(directory: environment.configuration.routes)
        for index in table.routes.indices { table.routes[index].offerTimeout = 5 }
        let store = try SQLiteStore(path: environment.configuration.storage.sqlite)
        try await store.upsertAgents(try AgentsLoader.load(path: environment.configuration.agents))
        let metrics = RoutingMetrics()
        var logger = Logger(label: "test.lapse")
        logger.logLevel = .warning
        let dispatcher = Dispatcher(store: store, signals: RoutingSignals(), metrics: metrics, logger: logger)

        let start = Date()
        try await dispatcher.start(table: table, now: start)
        let message = InboundMessage(
            source: "web", conversationId: "c-1", channel: "chat", customer: CustomerInfo(externalId: "u-1"),
            messageId: "m-1", text: "Where is my parcel?", sentAt: start)
        _ = try await dispatcher.apply([RoutableEvent(sequence: 1, receivedAt: start, message: message)], now: start)
        let conversationId = try #require(try await store.routingState().open.first?.conversationId)
        let first = try #require(try await store.conversation(id: conversationId))
        #expect(first.status == .offered)
        #expect(first.agentId == "ana")
        let deadline = try #require(dispatcher.nextTimer)
        #expect(abs(deadline.timeIntervalSince(start) - 5) < 0.001)

        // Just before the deadline nothing moves.
        try await dispatcher.tick(now: start.addingTimeInterval(4.9))
        #expect(try await store.conversation(id: conversationId)?.handoffId == first.handoffId)

        try await dispatcher.tick(now: start.addingTimeInterval(5))
        let second = try #require(try await store.conversation(id: conversationId))
        #expect(second.status == .offered)
        #expect(second.agentId == "ben")
        #expect(second.handoffId != first.handoffId)
        let moved = try #require(try await store.decisions(conversationId: conversationId).last)
        #expect(moved.trigger == "offer to ana lapsed unanswered")
        #expect(moved.waitedMs == 5_000)
        #expect(moved.declined == ["ana"])
        let text = try PrometheusText(metrics.exposition())
        #expect(text.value("switchboard_offers_timed_out_total", ["route": "general"]) == 1)
        #expect(text.value("switchboard_offers_declined_total", ["route": "general"]) == nil)

        // ben lets it lapse too: it waits, and ana is not offered it again.
        try await dispatcher.tick(now: start.addingTimeInterval(10))
        #expect(try await store.conversation(id: conversationId)?.status == .waiting)
        let decisions = try await store.decisions(conversationId: conversationId)
        #expect(decisions.map(\.agent) == ["ana", "ben", nil])
        #expect(decisions.last?.declined == ["ana", "ben"])
        // Stored, so that a restart keeps them out too.
        #expect(try await store.routingState().open.first?.declined == ["ana", "ben"])
        #expect(try await store.agentSnapshots().map(\.load) == [[:], [:]])
    }
}
