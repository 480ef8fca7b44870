import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Offers through real HTTP, one rule per test: a signed webhook in, handoffs at real desks, and the agent API
/// (`accept`, `decline`, `presence`, `transfer`, `resolve`) answering as an agent's desk would see it.
/// The offer timeout is left at its 30 s default here; a lapse is tested with an injected clock in `OfferLapseTests`.
@Suite("Offers end to end", .serialized)
struct OffersEndToEndTests {
    static func generalAgent(_ id: String, status: String = "online", desk: TestDesk) -> String {
        TestEnvironment.agent(id, name: id.capitalized, status: status, skills: "{general: 2}", desk: desk)
    }

    static func billingAgent(_ id: String, refundLimit: Int, status: String = "online", desk: TestDesk) -> String {
        TestEnvironment.agent(
            id, name: id.capitalized, status: status, skills: "{billing: 3, general: 2}",
            authority: "{refund_limit: \(refundLimit)}", desk: desk)
    }

    // MARK: 1. accept

    @Test("accept: the offer becomes an assignment; a second accept changes nothing; a decline then is refused")
    func accept() async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [Self.generalAgent("ana", desk: desk)])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let sent = Date()
            try await client.send(environment, "c-1", "Where is my parcel?")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            let handoffId = try #require(handoff.value("handoff_id") as? String)
            let conversationId = try #require(handoff.value("conversation.id") as? String)
            let deadline = try #require((handoff.value("routing.offer_deadline") as? String).flatMap(Self.date))
            // Counted from the send, not from the delivery's arrival, which a loaded machine may delay by seconds.
            #expect(
                (29...40).contains(deadline.timeIntervalSince(sent)),
                "the default offer_timeout is 30 s (in whole seconds)")
            #expect(try await client.conversation(conversationId).json["status"] as? String == "offered")

            let accepted = try await client.accept(handoffId)
            #expect(accepted.status == .ok)
            #expect(accepted.json["status"] as? String == "accepted")
            #expect(accepted.json["handoff_id"] as? String == handoffId)
            let assigned = try await client.conversation(conversationId).json
            #expect(assigned["status"] as? String == "assigned")
            #expect(assigned["agent_id"] as? String == "ana")
            #expect(assigned["handoff_id"] as? String == handoffId)

            // A second accept answers the same and changes nothing: not the conversation, not the time to agent.
            let again = try await client.accept(handoffId)
            #expect(again.status == .ok)
            #expect(again.json["status"] as? String == "accepted")
            #expect(NSDictionary(dictionary: try await client.conversation(conversationId).json).isEqual(to: assigned))
            let metrics = try await client.metrics()
            #expect(metrics.value("switchboard_time_to_agent_seconds_count", ["route": "general"]) == 1)

            let declined = try await client.decline(handoffId, reason: "wrong queue")
            #expect(declined.status == .conflict)
            #expect(
                declined.errorMessage
                    == "handoff \(handoffId) was accepted already; transfer or resolve the conversation instead")
            #expect(try await client.conversation(conversationId).json["status"] as? String == "assigned")

            let unknown = try await client.accept("ho_nope")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorMessage == "no open offer or assignment \"ho_nope\"")
            #expect(try await client.decline("ho_nope", reason: "no").status == .notFound)
            #expect(desk.deliveries.count == 1)
        }
        await desk.stop()
    }

    // MARK: 2. decline

    @Test("decline: the next best agent gets it at once with its original wait; a decliner never sees it again")
    func decline() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.generalAgent("ana", desk: ana), Self.generalAgent("ben", desk: ben),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "My parcel never came")
            let posted = ContinuousClock.now
            let first = try #require(await ana.waitForDeliveries(1).first)
            let firstId = try #require(first.value("handoff_id") as? String)
            let conversationId = try #require(first.value("conversation.id") as? String)
            // Time the customer keeps waiting while ana looks at the offer: the next offer must count it.
            try await Task.sleep(for: .milliseconds(250))
            let elapsed = posted.duration(to: .now)
            let declined = try await client.decline(firstId, reason: "I only handle Spanish today")
            #expect(declined.status == .ok)
            #expect(declined.json["status"] as? String == "declined")

            let second = try #require(await ben.waitForDeliveries(1).first)
            let secondId = try #require(second.value("handoff_id") as? String)
            #expect(second.value("conversation.id") as? String == conversationId)
            #expect(secondId != firstId)
            #expect(second.value("routing.trigger") as? String == "declined by ana: I only handle Spanish today")
            let waited = try #require(second.value("routing.waited_ms") as? Int)
            #expect(
                waited >= Int(elapsed / .milliseconds(1)) - 1, "counted from the first message, not from the decline")
            #expect(waited >= (first.value("routing.waited_ms") as? Int ?? 0) + 250)
            // The declined offer is gone: declining it again finds nothing.
            #expect(try await client.decline(firstId, reason: "again").status == .notFound)

            // ben declines too: nobody is left, so it waits; ana is not offered it again.
            #expect(try await client.decline(secondId, reason: "end of my shift").status == .ok)
            let waiting = try await client.conversation(conversationId).json
            #expect(waiting["status"] as? String == "waiting")
            #expect(waiting["handoff_id"] == nil)
            let decisions = try await client.decisions(conversationId)
            #expect(decisions.map { $0["outcome"] as? String } == ["offered", "offered", "waiting"])
            #expect(decisions.map { $0["agent"] as? String } == ["ana", "ben", nil])
            let last = try #require(decisions.last)
            #expect(last["trigger"] as? String == "declined by ben: end of my shift")
            #expect(last["declined"] as? [String] == ["ana", "ben"])
            #expect((last["excluded_counts"] as? [String: Int])?["declined"] == 2)
            let excluded = last["excluded"] as? [[String: Any]] ?? []
            #expect(excluded.map { $0["agent"] as? String } == ["ana", "ben"])
            #expect(excluded.allSatisfy { ($0["reasons"] as? [String])?.first == "declined" })
            #expect(try await client.load(of: "ana") == 0)
            #expect(try await client.load(of: "ben") == 0)
            #expect(ana.deliveries.count == 1)
            #expect(ben.deliveries.count == 1)
        }
        await ana.stop()
        await ben.stop()
    }

    @Test(
        "decline without a reason answers 422 and the offer stands",
        arguments: ["{}", #"{"reason": ""}"#, #"{"reason": "  \n "}"#, #"{"reason": null}"#])
    func declineNeedsAReason(body: String) async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [Self.generalAgent("ana", desk: desk)])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "hello?")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            let handoffId = try #require(handoff.value("handoff_id") as? String)
            let conversationId = try #require(handoff.value("conversation.id") as? String)

            let response = try await client.admin("/v1/handoffs/\(handoffId)/decline", method: .post, json: body)
            #expect(response.status == .unprocessableContent)
            #expect(response.errorMessage == "missing required field: reason")
            let conversation = try await client.conversation(conversationId).json
            #expect(conversation["status"] as? String == "offered")
            #expect(conversation["handoff_id"] as? String == handoffId)
            #expect(try await client.accept(handoffId).status == .ok)
        }
        await desk.stop()
    }

    // MARK: 3. presence

    @Test("going away withdraws an unaccepted offer, which goes to the next agent at once; an accepted one stays")
    func presence() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.generalAgent("ana", desk: ana), Self.generalAgent("ben", status: "away", desk: ben),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            // ana accepts c-1 and holds an unaccepted offer of c-2 (ben is away for both).
            try await client.send(environment, "c-1", "Where is my parcel?")
            let kept = try #require(await ana.waitForDeliveries(1).first)
            let keptId = try #require(kept.value("handoff_id") as? String)
            let keptConversation = try #require(kept.value("conversation.id") as? String)
            #expect(try await client.accept(keptId).status == .ok)
            try await client.send(environment, "c-2", "Wrong size delivered")
            let offered = try #require(await ana.waitForDeliveries(2).dropFirst().first)
            let offeredConversation = try #require(offered.value("conversation.id") as? String)
            #expect(try await client.load(of: "ana") == 2)

            #expect(try await client.presence("ben", "online").status == .ok)
            #expect(ben.deliveries.isEmpty, "nothing was waiting when ben came online")
            let away = try await client.presence("ana", "away")
            #expect(away.status == .ok)

            let moved = try #require(await ben.waitForDeliveries(1).first)
            #expect(moved.value("conversation.id") as? String == offeredConversation)
            #expect(moved.value("routing.trigger") as? String == "ana went away before accepting")
            #expect(moved.value("routing.transfers") as? Int == 0)
            let nowOffered = try await client.conversation(offeredConversation).json
            #expect(nowOffered["status"] as? String == "offered")
            #expect(nowOffered["agent_id"] as? String == "ben")

            let stayed = try await client.conversation(keptConversation).json
            #expect(stayed["status"] as? String == "assigned")
            #expect(stayed["agent_id"] as? String == "ana")
            #expect(stayed["handoff_id"] as? String == keptId)
            #expect(try await client.decisions(keptConversation).count == 1)
            #expect(try await client.load(of: "ana") == 1)
            #expect(try await client.load(of: "ben") == 1)
            #expect(ben.deliveries.count == 1)
        }
        await ana.stop()
        await ben.stop()
    }

    // MARK: 4. escalation

    @Test("a new message above the holder's authority moves the conversation in one hop, with the whole transcript")
    func escalation() async throws {
        let ben = try await TestDesk.start()
        let ana = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.billingAgent("ben", refundLimit: 50, desk: ben),
            Self.billingAgent("ana", refundLimit: 500, status: "away", desk: ana),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "Please refund $20 for the late delivery")
            let held = try #require(await ben.waitForDeliveries(1).first)
            let conversationId = try #require(held.value("conversation.id") as? String)
            #expect(try await client.accept(try #require(held.value("handoff_id") as? String)).status == .ok)
            #expect(try await client.presence("ana", "online").status == .ok)

            try await client.send(
                environment, "c-1", "Actually the whole order arrived broken: refund $300 please", id: "m-2",
                sentAt: "2026-11-23T10:02:00Z")
            let moved = try #require(await ana.waitForDeliveries(1).first)
            #expect(moved.value("kind") as? String == "handoff")
            #expect(moved.value("conversation.id") as? String == conversationId)
            #expect(moved.value("routing.transfers") as? Int == 1)
            #expect(moved.value("routing.moved_from") as? String == "ben")
            #expect(moved.value("routing.route") as? String == "refunds")
            #expect(moved.value("routing.requirements.authority.refund_limit.minimum") as? Double == 300)
            #expect(
                moved.value("routing.trigger") as? String
                    == "escalated: ben no longer qualifies (refund_limit 50 < 300)")
            let transcript = (moved.value("conversation.messages") as? [[String: Any]] ?? []).map {
                $0["text"] as? String
            }
            #expect(
                transcript == [
                    "Please refund $20 for the late delivery",
                    "Actually the whole order arrived broken: refund $300 please",
                ])

            #expect(try await client.load(of: "ben") == 0)
            #expect(try await client.load(of: "ana") == 1)
            let conversation = try await client.conversation(conversationId).json
            #expect(conversation["status"] as? String == "offered")
            #expect(conversation["agent_id"] as? String == "ana")
            #expect(conversation["transfers"] as? Int == 1)
            // Ben gets no follow-up for a message he can no longer act on, only a notice that it moved.
            let benDeliveries = await ben.waitForDeliveries(2)
            #expect(benDeliveries.count == 2)
            let notice = benDeliveries.last?.json ?? [:]
            #expect(notice["kind"] as? String == "released")
            #expect(notice["reason"] as? String == "moved")
            #expect(notice["conversation_id"] as? String == conversationId)
            #expect(notice["handoff_id"] as? String == benDeliveries.first?.json["handoff_id"] as? String)
        }
        await ben.stop()
        await ana.stop()
    }


    static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
}
