import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardConnectors
import Testing

/// A Zendesk source through real HTTP, signed with the webhook's signing secret the documented way.
@Suite("Zendesk end to end", .serialized)
struct ZendeskEndToEndTests {
    @Test("a ticket from a zendesk source, accepted: the ticket's assignee is set on Zendesk")
    func writeBack() async throws {
        let desk = try await TestDesk.start()
        let zendesk = try await TestPlatform.start(.zendesk)
        let agent = TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        var setup = try TestEnvironment(agents: [String(agent.dropLast()) + ", platform_ids: {zd: \"901\"}}"])
        var source = SourceSettings(name: "zd", kind: .zendesk, secret: Self.signingSecret)
        source.writeBack = WriteBackSettings(kind: .zendesk, apiURL: zendesk.apiURL, email: TestPlatform.email, apiToken: zendesk.token)
        setup.configuration.sources.append(source)
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            #expect(try await Self.post(client, ZendeskFixture.trigger(comment: "my parcel is late")).status == .accepted)
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            let handoffId = try #require(handoff.value("handoff_id") as? String)
            #expect(try await client.accept(handoffId).status == .ok)
            let requests = await zendesk.waitForRequests(1, status: 200)
            try #require(requests.count == 1)
            #expect(requests[0].path == "/api/v2/tickets/35436.json")
            #expect((requests[0].json["ticket"] as? [String: Any])?["assignee_id"] as? Int == 901)
        }
        await zendesk.stop()
        await desk.stop()
    }

    static let signingSecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="

    static func post(
        _ client: some TestClientProtocol, _ body: String, timestamp: Date = Date(), secret: String = signingSecret
    ) async throws -> TestResponse {
        let stamp = timestamp.formatted(.iso8601)
        let mac = Signature.hmacSHA256(key: Array(secret.utf8), [Array(stamp.utf8), Array(body.utf8)])
        return try await client.execute(
            uri: "/v1/inbound/zd", method: .post,
            headers: [
                .contentType: "application/json", HTTPField.Name("X-Zendesk-Webhook-Signature-Timestamp")!: stamp,
                HTTPField.Name("X-Zendesk-Webhook-Signature")!: Signature.base64(mac),
            ],
            body: ByteBuffer(string: body))
    }

    @Test(
        "a trigger body joins the web customer by email; an event joins by requester id; retries, ignored events, bad requests"
    )
    func zendesk() async throws {
        let desk = try await TestDesk.start()
        var setup = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        setup.configuration.sources.append(SourceSettings(name: "zd", kind: .zendesk, secret: Self.signingSecret))
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "jane.roe@example.com", name: "Jane Roe",
                messageId: "m-1",
                text: "my parcel is late")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let webHandoff = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(webHandoff.value("conversation.id") as? String)

            let trigger = ZendeskFixture.trigger(comment: "my parcel is still not here")
            #expect(try await Self.post(client, trigger).status == .accepted)
            // Zendesk retries with a new timestamp and signature: ticket and comment make it a duplicate.
            let retry = try await Self.post(client, trigger, timestamp: Date().addingTimeInterval(-5))
            #expect(retry.status == .ok)
            #expect(retry.json["status"] as? String == "duplicate")

            let handoff = try #require(await desk.waitForDeliveries(2).last)
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("conversation.source") as? String == "zd")
            #expect(handoff.value("conversation.external_id") as? String == "35436")
            #expect(handoff.value("conversation.channel") as? String == "email")
            #expect(handoff.value("conversation.messages.0.text") as? String == "my parcel is still not here")
            #expect(handoff.value("conversation.attributes.priority") as? String == "normal")
            #expect(handoff.value("conversation.attributes.tags") as? [String] == ["vip", "parcel"])
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(Set(identities) == ["jane.roe@example.com", "web:u-42", "zd:20978392"])
            // The same person: the web conversation is in the history.
            #expect(handoff.value("customer.id") as? String == webHandoff.value("customer.id") as? String)
            #expect(handoff.value("history.0.id") as? String == webConversation)
            #expect(handoff.value("history.0.source") as? String == "web")

            // An event subscription names the requester by id only: the id joins the same customer.
            #expect(try await Self.post(client, ZendeskFixture.created(ticket: "35437")).status == .accepted)
            let event = try #require(await desk.waitForDeliveries(3).last)
            #expect(event.value("conversation.external_id") as? String == "35437")
            #expect(event.value("conversation.messages.0.text") as? String == "The tracking page is empty")
            #expect(event.value("customer.id") as? String == webHandoff.value("customer.id") as? String)
            #expect((event.value("history") as? [Any])?.count == 2)

            let ignored = try await Self.post(client, ZendeskFixture.statusChanged)
            #expect(ignored.status == .ok)
            #expect(ignored.json["status"] as? String == "ignored")
            #expect(
                try await client.metrics().value(
                    "switchboard_inbound_ignored_total", ["source": "zd", "type": "ticket.status_changed"]) == 1)

            let stale = try await Self.post(client, trigger, timestamp: Date().addingTimeInterval(-600))
            #expect(stale.status == .unauthorized)
            #expect(stale.errorMessage == "timestamp outside tolerance")
            let forged = try await Self.post(client, trigger, secret: "not-the-secret")
            #expect(forged.status == .unauthorized)
            let malformed = try await Self.post(
                client, #"{"ticket":{"description":"hi","requester":{"email":"a@b.co"}}}"#)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: ticket.id")
            let notJSON = try await Self.post(client, "not json")
            #expect(notJSON.status == .badRequest)
        }
        #expect(desk.deliveries.count == 3)
        await desk.stop()
    }
}

/// Zendesk bodies: the trigger template of docs/connectors.md and events as Zendesk documents them.
enum ZendeskFixture {
    static func trigger(comment: String) -> String {
        #"{"ticket":{"id":"35436","updated_at":"2026-08-17T07:34:48Z","priority":"Normal","tags":"vip parcel","via":"Web Form","description":"\#(comment)","requester":{"id":"20978392","name":"Jane Roe","email":"Jane.Roe@Example.com","phone":""},"latest_comment":{"id":"54509304133531","body":"\#(comment)"}},"current_user":{"role":"end-user"}}"#
    }

    static func created(ticket: String) -> String {
        #"{"account_id":12514403,"detail":{"actor_id":"20978392","created_at":"2026-08-17T08:00:00Z","description":"The tracking page is empty","id":"\#(ticket)","is_public":true,"priority":"NORMAL","requester_id":"20978392","status":"NEW","subject":"Tracking","submitter_id":"20978392","tags":[],"type":null,"updated_at":"2026-08-17T08:00:00Z","via":{"channel":"web"}},"event":{},"id":"evt-\#(ticket)","subject":"zen:ticket:\#(ticket)","time":"2026-08-17T08:00:00.120Z","type":"zen:event-type:ticket.created","zendesk_event_version":"2022-11-06"}"#
    }

    static let statusChanged =
        #"{"account_id":12514403,"detail":{"id":"35436","requester_id":"20978392","status":"SOLVED"},"event":{"current":"SOLVED","previous":"OPEN"},"id":"evt-status-1","subject":"zen:ticket:35436","time":"2026-08-17T09:00:00Z","type":"zen:event-type:ticket.status_changed","zendesk_event_version":"2022-11-06"}"#
}
