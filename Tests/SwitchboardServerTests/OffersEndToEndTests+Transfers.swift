import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension OffersEndToEndTests {
    @Test("transfer to a named agent: a new handoff at their desk with the notes, by rule `named`")
    func transferToNamedAgent() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.generalAgent("ana", desk: ana), Self.generalAgent("ben", desk: ben),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "Can I change my address?")
            let held = try #require(await ana.waitForDeliveries(1).first)
            let conversationId = try #require(held.value("conversation.id") as? String)
            #expect(try await client.accept(try #require(held.value("handoff_id") as? String)).status == .ok)

            let response = try await client.transfer(
                conversationId, ["agent": "ben", "notes": "Wants delivery to the office; ben knows the courier"])
            #expect(response.status == .ok)
            #expect(response.json["agent_id"] as? String == "ben")
            let view = response.json["conversation"] as? [String: Any] ?? [:]
            #expect(view["status"] as? String == "offered")
            #expect(view["agent_id"] as? String == "ben")

            let handoff = try #require(await ben.waitForDeliveries(1).first)
            #expect(handoff.value("handoff_id") as? String == response.json["handoff_id"] as? String)
            #expect(handoff.value("conversation.id") as? String == conversationId)
            #expect(handoff.value("routing.rule") as? String == "named")
            #expect(handoff.value("routing.trigger") as? String == "transfer by ana")
            #expect(handoff.value("routing.moved_from") as? String == "ana")
            #expect(handoff.value("routing.transfers") as? Int == 1)
            let notes = handoff.value("conversation.notes") as? [[String: Any]] ?? []
            #expect(notes.map { $0["text"] as? String } == ["Wants delivery to the office; ben knows the courier"])
            #expect(notes.first?["agent_id"] as? String == "ana")
            #expect(handoff.value("conversation.messages.0.text") as? String == "Can I change my address?")
            #expect(try await client.load(of: "ana") == 0)
            #expect(try await client.load(of: "ben") == 1)
        }
        await ana.stop()
        await ben.stop()
    }

    /// A transfer the engine must refuse, and what the refusal says.
    struct RefusedTransfer: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var status: HTTPResponse.Status
        var message: String
        var testDescription: String { name }
    }

    static let refusedTransfers = [
        RefusedTransfer(
            name: "named agent below the route's authority", body: #"{"agent": "ben", "notes": "refused note"}"#,
            status: .conflict, message: "agent ben cannot take it: refund_limit 50 < 300"),
        RefusedTransfer(
            name: "named agent who holds it now", body: #"{"agent": "ana", "notes": "refused note"}"#,
            status: .conflict,
            message: "agent ana cannot take it: holds it now"),
        RefusedTransfer(
            name: "requirements nobody meets: a skill",
            body: #"{"requirements": {"skills": {"legal": 3}}, "notes": "refused note"}"#,
            status: .conflict, message: "nobody can take it now: "),
        RefusedTransfer(
            name: "requirements nobody meets: authority",
            body: #"{"requirements": {"authority": {"refund_limit": 5000}}, "notes": "refused note"}"#,
            status: .conflict,
            message: "nobody can take it now: "),
        RefusedTransfer(
            name: "unknown agent", body: #"{"agent": "zed", "notes": "refused note"}"#, status: .notFound,
            message: "unknown agent \"zed\""),
    ]

    @Test(
        "a refused transfer answers with the reason and leaves the conversation with its agent",
        arguments: refusedTransfers)
    func refusedTransfer(_ refused: RefusedTransfer) async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let cy = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.billingAgent("ana", refundLimit: 500, desk: ana), Self.billingAgent("ben", refundLimit: 50, desk: ben),
            Self.billingAgent("cy", refundLimit: 1000, desk: cy),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "I was charged twice, refund $300")
            let held = try #require(await ana.waitForDeliveries(1).first)
            let conversationId = try #require(held.value("conversation.id") as? String)
            #expect(try await client.accept(try #require(held.value("handoff_id") as? String)).status == .ok)
            let before = try await client.conversation(conversationId).json

            let response = try await client.admin(
                "/v1/conversations/\(conversationId)/transfer", method: .post, json: refused.body)
            #expect(response.status == refused.status)
            let message = response.errorMessage ?? ""
            #expect(message.hasPrefix(refused.message), "\(message)")
            let after = try await client.conversation(conversationId).json
            #expect(NSDictionary(dictionary: after).isEqual(to: before))
            #expect(after["status"] as? String == "assigned")
            #expect(try await client.load(of: "ana") == 1)

            // The refused transfer left nothing behind: the next one carries only its own notes.
            let next = try await client.transfer(conversationId, ["agent": "cy", "notes": "cy can approve this"])
            #expect(next.status == .ok)
            let handoff = try #require(await cy.waitForDeliveries(1).first)
            let notes = (handoff.value("conversation.notes") as? [[String: Any]] ?? []).map { $0["text"] as? String }
            #expect(notes == ["cy can approve this"])
            #expect(ben.deliveries.isEmpty)
        }
        await ana.stop()
        await ben.stop()
        await cy.stop()
    }

    @Test("a conversation only offered, not accepted, cannot be transferred; the offer stands")
    func transferWhileOffered() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            Self.generalAgent("ana", desk: ana), Self.generalAgent("ben", desk: ben),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "c-1", "Is the shop open on Sunday?")
            let offered = try #require(await ana.waitForDeliveries(1).first)
            let handoffId = try #require(offered.value("handoff_id") as? String)
            let conversationId = try #require(offered.value("conversation.id") as? String)

            let response = try await client.transfer(conversationId, ["agent": "ben"])
            #expect(response.status == .conflict)
            #expect(
                response.errorMessage
                    == "conversation \(conversationId) is only offered; accept or decline the offer first")
            let conversation = try await client.conversation(conversationId).json
            #expect(conversation["status"] as? String == "offered")
            #expect(conversation["handoff_id"] as? String == handoffId)
            #expect(try await client.accept(handoffId).status == .ok)
            #expect(ben.deliveries.isEmpty)
        }
        await ana.stop()
        await ben.stop()
    }

    // MARK: 6. metrics
}
