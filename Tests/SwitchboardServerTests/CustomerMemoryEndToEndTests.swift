import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Customer memory through real HTTP: the customers API with its audit trail, and a promise made on
/// resolve that comes back to its agent's desk when it falls due.
@Suite("Customer memory end to end", .serialized)
struct CustomerMemoryEndToEndTests {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// `2026-11-24T06:45:12.345Z`: platforms often send fractions of a second.
    static func isoWithFraction(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    @Test("customers: found by identity, merged and split with the caller's token fingerprint on the record; mistakes named")
    func customersAPI() async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            for (conversation, id, email) in [("c-1", "u-1", "Pat@Example.com"), ("c-2", "u-2", "pat.home@example.com")] {
                let body = TestEnvironment.body(
                    conversation: conversation, customerId: id, email: email, messageId: "m-\(conversation)", text: "hello")
                #expect(try await client.postInbound(environment, body: body).status == .accepted)
            }
            _ = await desk.waitForDeliveries(2)

            let first = try await client.admin("/v1/customers?identity=email:pat@example.com")
            #expect(first.status == .ok)
            let kept = try #require(first.json["id"] as? String)
            let identities = (first.json["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(identities.sorted() == ["pat@example.com", "web:u-1"])
            let second = try await client.admin("/v1/customers?identity=source_user:web:u-2")
            let other = try #require(second.json["id"] as? String)

            let merged = try await client.admin(
                "/v1/customers/\(kept)/merge", method: .post, json: Self.json(["from": other]))
            #expect(merged.status == .ok)
            let audit = merged.json["audit"] as? [String: Any] ?? [:]
            let actor = try #require(audit["actor"] as? String)
            #expect(actor.hasPrefix("token:") && actor.count == "token:".count + 12)
            #expect(!actor.contains(TestEnvironment.adminToken))
            #expect((audit["identities"] as? [String])?.sorted() == ["email:pat.home@example.com", "source_user:web:u-2"])
            #expect(((merged.json["customer"] as? [String: Any])?["conversations"] as? [Any])?.count == 2)

            let gone = try await client.admin("/v1/customers/\(other)")
            #expect(gone.status == .gone)
            #expect(gone.errorMessage == "customer \"\(other)\" was merged into \"\(kept)\"")

            let split = try await client.admin(
                "/v1/customers/\(kept)/unmerge", method: .post,
                json: Self.json(["identity": ["kind": "source_user", "value": "web:u-2"]]))
            #expect(split.status == .ok)
            let created = split.json["created"] as? [String: Any] ?? [:]
            #expect((created["conversations"] as? [Any])?.count == 1)
            #expect(((split.json["customer"] as? [String: Any])?["conversations"] as? [Any])?.count == 1)

            let trail = try await client.admin("/v1/customers/\(kept)/audit")
            #expect((trail.json["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String } == ["merge", "unmerge"])

            let unknown = try await client.admin("/v1/customers/\(kept)/merge", method: .post, json: Self.json(["from": "cus_nobody"]))
            #expect(unknown.status == .notFound)
            #expect(unknown.errorMessage == "unknown customer \"cus_nobody\"")
            let badIdentity = try await client.admin(
                "/v1/customers/\(kept)/unmerge", method: .post, json: Self.json(["identity": "fax:123"]))
            #expect(badIdentity.status == .unprocessableContent)
            #expect(badIdentity.errorMessage?.hasPrefix("identity \"fax:123\" must be") == true)
            let notHeld = try await client.admin(
                "/v1/customers/\(kept)/unmerge", method: .post, json: Self.json(["identity": "email:nobody@example.com"]))
            #expect(notHeld.status == .conflict)
            #expect(notHeld.errorMessage == "customer \"\(kept)\" has no identity email:nobody@example.com")
            let noToken = try await client.execute(uri: "/v1/customers/\(kept)", method: .get)
            #expect(noToken.status == .unauthorized)
        }
        await desk.stop()
    }

    @Test("a promise made on resolve comes back to its agent when due, in a handoff that carries it; overdue until kept")
    func promiseFollowUp() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: ana),
            TestEnvironment.agent("ben", name: "Ben Ode", skills: "{general: 3}", desk: ben),
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let body = TestEnvironment.body(conversation: "c-1", messageId: "m-1", text: "where is my parcel?")
            #expect(try await client.postInbound(environment, body: body).status == .accepted)
            // Equally loaded and never offered anything: ana comes first by id.
            let handoff = try #require(await ana.waitForDeliveries(1).first)
            let conversationId = try #require(handoff.value("conversation.id") as? String)

            let past = try await client.admin(
                "/v1/conversations/\(conversationId)/resolve", method: .post,
                json: Self.json(["outcome": "refunded", "follow_up": ["due": Self.iso(Date().addingTimeInterval(-60)), "what": "x"]]))
            #expect(past.status == .unprocessableContent)
            #expect(past.errorMessage == "follow_up.due must be in the future")
            let empty = try await client.admin(
                "/v1/conversations/\(conversationId)/resolve", method: .post,
                json: Self.json(["outcome": "refunded", "follow_up": ["due": Self.iso(Date().addingTimeInterval(60)), "what": " "]]))
            #expect(empty.status == .unprocessableContent)
            let notADate = try await client.admin(
                "/v1/conversations/\(conversationId)/resolve", method: .post,
                json: Self.json(["outcome": "refunded", "follow_up": ["due": "tomorrow", "what": "call back"]]))
            #expect(notADate.errorMessage == #"invalid field follow_up.due: "tomorrow" is not an ISO 8601 date-time"#)

            let due = Date().addingTimeInterval(2)
            let resolved = try await client.admin(
                "/v1/conversations/\(conversationId)/resolve", method: .post,
                json: Self.json([
                    "outcome": "refunded", "notes": "refund issued",
                    "follow_up": ["due": Self.isoWithFraction(due), "what": "confirm the refund posted"],
                ]))
            #expect(resolved.status == .ok)
            let promises = resolved.json["promises"] as? [[String: Any]] ?? []
            #expect(promises.first?["what"] as? String == "confirm the refund posted")
            #expect(promises.first?["agent_id"] as? String == "ana")

            // About a second after it falls due, the follow-up reaches the agent who made the promise.
            // Ben is just as free, and idle longer: only the promise sends it to ana.
            let deliveries = await ana.waitForDeliveries(2, timeout: .seconds(10))
            try #require(deliveries.count == 2)
            let followUp = deliveries[1]
            #expect(followUp.value("kind") as? String == "handoff")
            #expect(followUp.value("conversation.source") as? String == "promise")
            #expect(followUp.value("conversation.follow_up.what") as? String == "confirm the refund posted")
            #expect(followUp.value("conversation.messages.0.text") as? String == "Follow-up due: confirm the refund posted")
            #expect(followUp.value("promises.0.status") as? String == "due")
            #expect(followUp.value("history.0.outcome") as? String == "refunded")
            #expect(followUp.value("history.0.agent_notes.0.text") as? String == "refund issued")
            #expect(followUp.value("history_summary.conversations") as? Int == 1)
            #expect(followUp.value("routing.rule") as? String == "previous agent")
            // Routed on what the original conversation was routed on: the promise's words ("refund")
            // would have picked the refunds route.
            #expect(followUp.value("routing.route") as? String == "general")
            #expect(followUp.value("routing.trigger") as? String == "promise due")
            #expect(try await client.metrics().value("switchboard_promises_overdue") == 1)

            let followUpId = try #require(followUp.value("conversation.id") as? String)
            #expect(try await client.admin(
                "/v1/conversations/\(followUpId)/resolve", method: .post, json: Self.json(["outcome": "confirmed"])
            ).status == .ok)
            #expect(try await client.metrics().value("switchboard_promises_overdue") == 0)
        }
        await ana.stop()
        await ben.stop()
    }
}
