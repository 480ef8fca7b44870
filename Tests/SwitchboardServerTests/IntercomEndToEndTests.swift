import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardConnectors
import Testing

/// An Intercom source through real HTTP, signed with the app's client secret the documented way.
@Suite("Intercom end to end", .serialized)
struct IntercomEndToEndTests {
    static let clientSecret = "a1b2c3d4e5f6client-secret"

    static func post(_ client: some TestClientProtocol, _ body: String, secret: String = clientSecret) async throws
        -> TestResponse
    {
        let mac = Signature.hmacSHA1(key: Array(secret.utf8), [Array(body.utf8)])
        return try await client.execute(
            uri: "/v1/inbound/ic", method: .post,
            headers: [
                .contentType: "application/json", HTTPField.Name("X-Hub-Signature")!: "sha1=" + Signature.hex(mac),
            ],
            body: ByteBuffer(string: body))
    }

    @Test(
        "ping, a conversation joined to the web customer by email, a reply as a follow-up, retries, ignored topics, bad requests"
    )
    func intercom() async throws {
        let desk = try await TestDesk.start()
        var setup = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        setup.configuration.sources.append(SourceSettings(name: "ic", kind: .intercom, secret: Self.clientSecret))
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            #expect(try await Self.post(client, IntercomFixture.ping).status == .ok)

            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "jo@example.com", name: "Jo Bloggs", messageId: "m-1",
                text: "my parcel is late")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let webHandoff = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(webHandoff.value("conversation.id") as? String)

            let created = IntercomFixture.notification(topic: "conversation.user.created", id: "notif_1")
            #expect(try await Self.post(client, created).status == .accepted)
            let retry = try await Self.post(client, created)
            #expect(retry.status == .ok)
            #expect(retry.json["status"] as? String == "duplicate")

            let handoff = try #require(await desk.waitForDeliveries(2).last)
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("conversation.source") as? String == "ic")
            #expect(handoff.value("conversation.external_id") as? String == "1911149811")
            #expect(handoff.value("conversation.channel") as? String == "chat")
            #expect(handoff.value("conversation.messages.0.text") as? String == "My parcel is still not here")
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(Set(identities) == ["jo@example.com", "web:u-42", "ic:5bc8f7421ae2d96695c18a"])
            #expect(handoff.value("customer.id") as? String == webHandoff.value("customer.id") as? String)
            #expect(handoff.value("history.0.id") as? String == webConversation)

            let replied = IntercomFixture.notification(
                topic: "conversation.user.replied", id: "notif_2", parts: [IntercomFixture.reply])
            #expect(try await Self.post(client, replied).status == .accepted)
            let followUp = try #require(await desk.waitForDeliveries(3).last)
            #expect(followUp.value("kind") as? String == "message")
            #expect(followUp.value("conversation_id") as? String == handoff.value("conversation.id") as? String)
            #expect(followUp.value("message.text") as? String == "Any news?")

            let ignored = try await Self.post(
                client, IntercomFixture.notification(topic: "conversation.admin.closed", id: "notif_3"))
            #expect(ignored.status == .ok)
            #expect(ignored.json["status"] as? String == "ignored")
            #expect(
                try await client.metrics().value(
                    "switchboard_inbound_ignored_total", ["source": "ic", "type": "conversation.admin.closed"]) == 1)

            let forged = try await Self.post(client, created, secret: "not-the-secret")
            #expect(forged.status == .unauthorized)
            let malformed = try await Self.post(
                client, #"{"id":"notif_9","topic":"conversation.user.created","data":{"item":{"id":"7"}}}"#)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: data.item.source")
            let notJSON = try await Self.post(client, "not json")
            #expect(notJSON.status == .badRequest)
        }
        #expect(desk.deliveries.count == 3)
        await desk.stop()
    }
}

/// Intercom notifications with REST API 2.x conversations, as Intercom documents them.
enum IntercomFixture {
    static let ping =
        #"{"type":"notification_event","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"ping","message":"something something interzen"}},"links":{},"id":null,"topic":"ping","delivery_status":null,"delivery_attempts":1,"delivered_at":0,"first_sent_at":1786953600,"created_at":1786953600,"self":null}"#

    static let author = #"{"type":"user","id":"5bc8f7421ae2d96695c18a","name":"Jo Bloggs","email":"Jo@Example.com"}"#

    static let reply =
        #"{"type":"conversation_part","id":"2202737122","part_type":"comment","body":"<p>Any news?</p>","created_at":1786957200,"updated_at":1786957200,"notified_at":1786957200,"assigned_to":null,"author":\#(author),"attachments":[],"external_id":null,"redacted":false}"#

    static func notification(topic: String, id: String, parts: [String] = []) -> String {
        #"{"type":"notification_event","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"conversation","id":"1911149811","created_at":1786953600,"updated_at":1786953600,"source":{"type":"conversation","id":"269650473","delivered_as":"customer_initiated","subject":"","body":"<p>My parcel is still not here</p>","author":\#(author),"attachments":[],"url":null,"redacted":false},"contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"5bc8f7421ae2d96695c18a"}]},"open":true,"state":"open","tags":{"type":"tag.list","tags":[]},"conversation_parts":{"type":"conversation_part.list","conversation_parts":[\#(parts.joined(separator: ","))],"total_count":\#(parts.count)}}},"links":{},"id":"\#(id)","topic":"\#(topic)","delivery_status":"pending","delivery_attempts":1,"delivered_at":0,"first_sent_at":1786953600,"created_at":1786953600,"self":null}"#
    }
}
