import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension OffersEndToEndTests {
    @Test("GET /metrics counts the decline, the time to agent of the accept and the transfers of the resolve")
    func metrics() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.generalAgent("ana", desk: ana), Self.generalAgent("ben", desk: ben),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let route = ["route": "general"]
            let empty = try await client.metrics()
            #expect(empty.value("switchboard_offers_declined_total", route) == nil)

            try await client.send(environment, "c-1", "Hello, anyone there?")
            let first = try #require(await ana.waitForDeliveries(1).first)
            let conversationId = try #require(first.value("conversation.id") as? String)
            #expect(
                try await client.decline(try #require(first.value("handoff_id") as? String), reason: "busy").status
                    == .ok)
            let second = try #require(await ben.waitForDeliveries(1).first)
            #expect(try await client.accept(try #require(second.value("handoff_id") as? String)).status == .ok)
            let resolved = try await client.admin(
                "/v1/conversations/\(conversationId)/resolve", method: .post, json: #"{"outcome": "answered"}"#)
            #expect(resolved.status == .ok)

            let text = try await client.metrics()
            #expect(text.value("switchboard_offers_declined_total", route) == 1)
            #expect(text.types["switchboard_offers_declined_total"] == "counter")
            #expect(text.value("switchboard_time_to_agent_seconds_count", route) == 1)
            #expect(text.types["switchboard_time_to_agent_seconds"] == "summary")
            #expect(text.value("switchboard_conversation_transfers_count", route) == 1)
            #expect(text.value("switchboard_conversation_transfers_sum", route) == 0, "a decline is not a transfer")
            #expect(text.value("switchboard_offers_timed_out_total", route) == nil)
            #expect(text.value("switchboard_transfers_total", route) == nil)
        }
        await ana.stop()
        await ben.stop()
    }

    // MARK: 7. restart

    @Test("an offer made before a graceful stop is still offered after a restart, and can be accepted then")
    func offerSurvivesRestart() async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [Self.generalAgent("ana", desk: desk)])
        defer { environment.remove() }
        let (handoffId, conversationId) = try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "Where is my parcel?")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            let ids = (
                try #require(handoff.value("handoff_id") as? String),
                try #require(handoff.value("conversation.id") as? String)
            )
            #expect(try await client.conversation(ids.1).json["status"] as? String == "offered")
            return ids
        }
        // The first server has stopped gracefully; the second opens the same store.

        try await environment.application().test(.live) { client in
            let conversation = try await client.conversation(conversationId).json
            #expect(conversation["status"] as? String == "offered")
            #expect(conversation["agent_id"] as? String == "ana")
            #expect(conversation["handoff_id"] as? String == handoffId)
            #expect(try await client.load(of: "ana") == 1)

            let accepted = try await client.accept(handoffId)
            #expect(accepted.status == .ok)
            #expect(try await client.conversation(conversationId).json["status"] as? String == "assigned")
            #expect(try await client.load(of: "ana") == 1)
            #expect(try await client.decisions(conversationId).count == 1, "not offered a second time at start-up")
            #expect(desk.deliveries.count == 1)
        }
        await desk.stop()
    }

    @Test("an offer to an agent who is offline when the server starts again is withdrawn at once")
    func offerWithdrawnAtRestart() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.generalAgent("ana", desk: ana), Self.generalAgent("ben", status: "away", desk: ben),
        ])
        defer { environment.remove() }
        let conversationId = try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "Where is my parcel?")
            return try #require(await ana.waitForDeliveries(1).first?.value("conversation.id") as? String)
        }
        // While the server is down, ana signs off and ben signs on (the agents file is read at start-up).
        try environment.writeAgents([
            Self.generalAgent("ana", status: "offline", desk: ana), Self.generalAgent("ben", desk: ben),
        ])

        try await environment.application().test(.live) { client in
            let handoff = try #require(await ben.waitForDeliveries(1, timeout: .seconds(5)).first)
            #expect(handoff.value("conversation.id") as? String == conversationId)
            #expect(handoff.value("routing.trigger") as? String == "ana went offline before accepting")
            let conversation = try await client.conversation(conversationId).json
            #expect(conversation["status"] as? String == "offered")
            #expect(conversation["agent_id"] as? String == "ben")
            #expect(try await client.load(of: "ana") == 0)
            #expect(try await client.load(of: "ben") == 1)
        }
        await ana.stop()
        await ben.stop()
    }
}
