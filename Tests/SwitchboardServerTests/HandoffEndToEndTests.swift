import Foundation
import HummingbirdTesting
import NIOCore
import StandardWebhooks
import Testing

/// The whole path, through real HTTP: a signed webhook in, a signed handoff out at a real desk.
@Suite("Handoff end to end", .serialized)
struct HandoffEndToEndTests {
    /// Two billing agents who differ in authority: amy may refund up to 50, zoe up to 500.
    /// amy would win every tie (id order), so only authority can send a $300 refund to zoe.
    static func twoAgents(amy: TestDesk, zoe: TestDesk) -> [String] {
        [
            TestEnvironment.agent(
                "amy", name: "Amy Chen", skills: "{billing: 4, general: 3}", authority: "{refund_limit: 50}", desk: amy),
            TestEnvironment.agent(
                "zoe", name: "Zoe Park", skills: "{billing: 3, general: 2}",
                authority: "{refund_limit: 500, approve_returns: true}", desk: zoe),
        ]
    }

    @Test("authority decides: a $300 refund goes to the agent allowed to refund it, with full context")
    func authorityDecides() async throws {
        let amy = try await TestDesk.start()
        let zoe = try await TestDesk.start()
        let environment = try TestEnvironment(agents: Self.twoAgents(amy: amy, zoe: zoe))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let body = TestEnvironment.body(
                conversation: "c-1", messageId: "m-1", text: "I was charged twice, I want a refund of $300")
            let response = try await client.postInbound(environment, body: body)
            #expect(response.status == .accepted)
            #expect(response.json["status"] as? String == "accepted")

            let handoffs = await zoe.waitForDeliveries(1)
            try #require(handoffs.count == 1)
            let handoff = handoffs[0]
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("schema_version") as? Int == 2)
            #expect(handoff.webhookId == handoff.value("handoff_id") as? String)
            #expect(handoff.value("agent.id") as? String == "zoe")
            #expect(handoff.value("agent.name") as? String == "Zoe Park")
            #expect(handoff.value("conversation.external_id") as? String == "c-1")
            #expect(handoff.value("conversation.source") as? String == "web")
            #expect(handoff.value("conversation.channel") as? String == "chat")
            #expect(handoff.value("conversation.messages.0.text") as? String == "I was charged twice, I want a refund of $300")
            #expect(handoff.value("conversation.attributes.tier") as? String == "gold")
            #expect(handoff.value("customer.name") as? String == "Ana Ruiz")
            let identities = handoff.value("customer.identities") as? [[String: Any]] ?? []
            #expect(identities.contains { $0["kind"] as? String == "email" && $0["value"] as? String == "ana@example.com" })
            #expect(identities.contains { $0["kind"] as? String == "source_user" && $0["value"] as? String == "web:u-42" })
            #expect((handoff.value("history") as? [Any])?.isEmpty == true)
            #expect(handoff.value("routing.route") as? String == "refunds")
            #expect(handoff.value("routing.requirements.authority.refund_limit.minimum") as? Double == 300)
            #expect(handoff.value("routing.requirements.skills.billing") as? Int == 3)
            #expect(handoff.value("routing.facts.intent") as? String == "refund")
            #expect(handoff.value("routing.transfers") as? Int == 0)
            #expect(handoff.value("routing.waited_ms") is Int)
            let why = handoff.value("routing.reasons") as? [String] ?? []
            #expect((handoff.value("routing.why") as? String)?.hasPrefix("Zoe Park was chosen as the only eligible agent") == true)
            #expect(why.contains("refund_limit 500 >= 300 (amount)"))
            #expect(amy.deliveries.isEmpty)

            // The decision is stored and explains why amy was passed over.
            let conversationId = try #require(handoff.value("conversation.id") as? String)
            let decisions = try await client.admin("/v1/conversations/\(conversationId)/decisions")
            #expect(decisions.status == .ok)
            let list = decisions.json["decisions"] as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["agent"] as? String == "zoe")
            let excluded = list.first?["excluded"] as? [[String: Any]] ?? []
            #expect(excluded.first?["agent"] as? String == "amy")
            #expect((excluded.first?["reasons"] as? [String]) == ["refund_limit 50 < 300"])

            // A small refund goes to amy, who wins the tie.
            let small = TestEnvironment.body(
                conversation: "c-2", customerId: "u-7", email: "li@example.com", name: "Li Wei", messageId: "m-1",
                text: "please refund $20")
            #expect(try await client.postInbound(environment, body: small).status == .accepted)
            let amyHandoffs = await amy.waitForDeliveries(1)
            #expect(amyHandoffs.first?.value("customer.name") as? String == "Li Wei")
        }
        await amy.stop()
        await zoe.stop()
    }

    @Test("a later message goes to the same agent as a follow-up, and a new channel carries the history")
    func followUpAndHistory() async throws {
        let amy = try await TestDesk.start()
        let zoe = try await TestDesk.start()
        let environment = try TestEnvironment(agents: Self.twoAgents(amy: amy, zoe: zoe))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let first = TestEnvironment.body(conversation: "c-1", messageId: "m-1", text: "I need a refund of $300")
            #expect(try await client.postInbound(environment, body: first).status == .accepted)
            let handoff = try #require(await zoe.waitForDeliveries(1).first)
            let conversationId = try #require(handoff.value("conversation.id") as? String)

            let second = TestEnvironment.body(
                conversation: "c-1", messageId: "m-2", text: "Order 1234, if that helps", sentAt: "2026-11-23T10:01:00Z")
            #expect(try await client.postInbound(environment, body: second).status == .accepted)
            let deliveries = await zoe.waitForDeliveries(2)
            try #require(deliveries.count == 2)
            #expect(deliveries[1].value("kind") as? String == "message")
            #expect(deliveries[1].value("conversation_id") as? String == conversationId)
            #expect(deliveries[1].value("message.text") as? String == "Order 1234, if that helps")
            #expect(deliveries[1].value("handoff_id") as? String == handoff.value("handoff_id") as? String)
            #expect(amy.deliveries.isEmpty)

            let resolved = try await client.admin(
                "/v1/conversations/\(conversationId)/resolve", method: .post,
                json: #"{"outcome": "refunded", "notes": "refunded $300 to the card"}"#)
            #expect(resolved.status == .ok)
            #expect(resolved.json["status"] as? String == "resolved")

            // The same customer, by email only, now writes on another channel and source id.
            let email = TestEnvironment.body(
                conversation: "mail-9", channel: "email", customerId: nil, messageId: "e-1",
                text: "Did the refund go through?", sentAt: "2026-11-24T08:00:00Z")
            #expect(try await client.postInbound(environment, body: email).status == .accepted)
            let third = try #require(await zoe.waitForDeliveries(3).last)
            #expect(third.value("kind") as? String == "handoff")
            #expect(third.value("conversation.channel") as? String == "email")
            #expect(third.value("routing.route") as? String == "refunds")
            #expect(third.value("routing.rule") as? String == "previous agent")
            let history = third.value("history") as? [[String: Any]] ?? []
            try #require(history.count == 1)
            #expect(history[0]["id"] as? String == conversationId)
            #expect(history[0]["channel"] as? String == "chat")
            #expect(history[0]["first_message"] as? String == "I need a refund of $300")
            #expect(history[0]["outcome"] as? String == "refunded")
            #expect(history[0]["notes"] as? String == "refunded $300 to the card")
            #expect(history[0]["agent_id"] as? String == "zoe")
            #expect(history[0]["started_at"] as? String == "2026-11-23T10:00:00Z")
        }
        await amy.stop()
        await zoe.stop()
    }

    @Test("a conversation with nobody eligible waits, and is routed the moment an agent comes online")
    func waitsForAnEligibleAgent() async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ben", name: "Ben", status: "offline", skills: "{general: 2}", desk: desk)
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let body = TestEnvironment.body(conversation: "c-9", messageId: "m-1", text: "Where is my parcel?")
            #expect(try await client.postInbound(environment, body: body).status == .accepted)
            try await Task.sleep(for: .milliseconds(500))
            #expect(desk.deliveries.isEmpty)

            let online = try await client.admin("/v1/agents/ben/presence", method: .post, json: #"{"status": "online"}"#)
            #expect(online.status == .ok)
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            #expect(handoff.value("routing.route") as? String == "general")
            #expect((handoff.value("routing.waited_ms") as? Int ?? 0) >= 400)

            let agents = try await client.admin("/v1/agents")
            let listed = (agents.json["agents"] as? [[String: Any]])?.first
            #expect(listed?["status"] as? String == "online")
            #expect((listed?["load"] as? [String: Int])?["chat"] == 1)
            #expect((listed?["desk"] as? [String: Any])?["secret"] == nil)
        }
        await desk.stop()
    }

    @Test("authority is never waived: a refund above every limit waits, however long")
    func authorityIsNeverWaived() async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ben", name: "Ben", skills: "{billing: 5, general: 5}", authority: "{refund_limit: 50}", desk: desk)
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let body = TestEnvironment.body(conversation: "c-3", messageId: "m-1", text: "Refund my $300 now")
            #expect(try await client.postInbound(environment, body: body).status == .accepted)
            try await Task.sleep(for: .milliseconds(300))
            // Freeing capacity and presence changes re-run dispatch; authority still excludes ben.
            _ = try await client.admin("/v1/agents/ben/presence", method: .post, json: #"{"status": "online"}"#)
            try await Task.sleep(for: .milliseconds(500))
            #expect(desk.deliveries.isEmpty)
        }
        await desk.stop()
    }

    @Test("a failing desk gets the handoff again, with backoff, until it answers 2xx; then never again")
    func retriesUntilTheDeskAnswers() async throws {
        let desk = try await TestDesk.start()
        desk.receiver.failWith.withLock { $0 = 503 }
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ben", name: "Ben", skills: "{general: 2}", desk: desk)
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let body = TestEnvironment.body(conversation: "c-5", messageId: "m-1", text: "hello?")
            #expect(try await client.postInbound(environment, body: body).status == .accepted)
            try await Task.sleep(for: .milliseconds(600))
            #expect(desk.deliveries.isEmpty)
            desk.receiver.failWith.withLock { $0 = nil }
            let deliveries = await desk.waitForDeliveries(1)
            #expect(deliveries.count == 1)
            #expect(deliveries.first?.value("kind") as? String == "handoff")
            try await Task.sleep(for: .milliseconds(600))
            #expect(desk.deliveries.count == 1)
        }
        await desk.stop()
    }
}
