import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardConnectors
import Testing

/// A Help Scout source through real HTTP, signed with the webhook's secret key the documented way.
@Suite("Help Scout end to end", .serialized)
struct HelpScoutEndToEndTests {
    static let secret = "mZ9XbGHodX"

    static func post(
        _ client: some TestClientProtocol, _ body: String, event: String, secret: String = secret
    ) async throws -> TestResponse {
        let mac = Signature.hmacSHA1(key: Array(secret.utf8), [Array(body.utf8)])
        return try await client.execute(
            uri: "/v1/inbound/hs", method: .post,
            headers: [
                .contentType: "application/json", HTTPField.Name("X-HelpScout-Event")!: event,
                HTTPField.Name("X-HelpScout-Signature")!: Signature.base64(mac),
            ],
            body: ByteBuffer(string: body))
    }

    @Test(
        "test event, a conversation joined to the web customer by email, its reply as a follow-up, retries, ignored events, bad requests"
    )
    func helpScout() async throws {
        let desk = try await TestDesk.start()
        var setup = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        setup.configuration.sources.append(SourceSettings(name: "hs", kind: .helpscout, secret: Self.secret))
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let test = try await Self.post(client, #"{"id":123}"#, event: "helpscout.test")
            #expect(test.status == .ok)

            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "vbear@mywork.com", name: "Vernon Bear",
                messageId: "m-1",
                text: "my parcel is late")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let webHandoff = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(webHandoff.value("conversation.id") as? String)

            let created = HelpScoutFixture.conversation(threads: [HelpScoutFixture.first])
            #expect(try await Self.post(client, created, event: "convo.created").status == .accepted)
            // A retry, or another event about the same customer thread, changes nothing.
            for event in ["convo.created", "convo.customer.reply.created"] {
                let again = try await Self.post(client, created, event: event)
                #expect(again.status == .ok)
                #expect(again.json["status"] as? String == "duplicate")
            }

            let handoff = try #require(await desk.waitForDeliveries(2).last)
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("conversation.source") as? String == "hs")
            #expect(handoff.value("conversation.external_id") as? String == "123")
            #expect(handoff.value("conversation.channel") as? String == "email")
            #expect(
                handoff.value("conversation.messages.0.text") as? String
                    == "My parcel is still not here & the tracking page is empty.")
            #expect(handoff.value("conversation.attributes.tags") as? [String] == ["vip"])
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(Set(identities) == ["vbear@mywork.com", "web:u-42", "hs:29418"])
            #expect(handoff.value("customer.id") as? String == webHandoff.value("customer.id") as? String)
            #expect(handoff.value("history.0.id") as? String == webConversation)

            let reply = HelpScoutFixture.conversation(threads: [
                HelpScoutFixture.reply, HelpScoutFixture.agent, HelpScoutFixture.first,
            ])
            #expect(try await Self.post(client, reply, event: "convo.customer.reply.created").status == .accepted)
            let followUp = try #require(await desk.waitForDeliveries(3).last)
            #expect(followUp.value("kind") as? String == "message")
            #expect(followUp.value("conversation_id") as? String == handoff.value("conversation.id") as? String)
            #expect(followUp.value("message.text") as? String == "Any news?")

            let ignored = try await Self.post(client, reply, event: "convo.agent.reply.created")
            #expect(ignored.status == .ok)
            #expect(ignored.json["status"] as? String == "ignored")
            #expect(
                try await client.metrics().value(
                    "switchboard_inbound_ignored_total", ["source": "hs", "type": "convo.agent.reply.created"]) == 1)
            // Event names Help Scout does not document are counted together: no request adds a series.
            for madeUp in ["convo.made.up.1", "convo.made.up.2"] {
                #expect(try await Self.post(client, reply, event: madeUp).status == .ok)
            }
            let metrics = try await client.metrics()
            #expect(metrics.value("switchboard_inbound_ignored_total", ["source": "hs", "type": "other"]) == 2)
            #expect(!metrics.samples(ofFamily: "switchboard_inbound_ignored_total").contains { $0.labels["type"]?.hasPrefix("convo.made.up") == true })

            let forged = try await Self.post(client, created, event: "convo.created", secret: "not-the-secret")
            #expect(forged.status == .unauthorized)
            #expect(forged.errorMessage == "X-HelpScout-Signature does not match the body")
            let malformed = try await Self.post(
                client, #"{"id":124,"primaryCustomer":{"id":1}}"#, event: "convo.created")
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: _embedded.threads")
            let notJSON = try await Self.post(client, "not json", event: "convo.created")
            #expect(notJSON.status == .badRequest)
        }
        #expect(desk.deliveries.count == 3)
        await desk.stop()
    }
}

/// Help Scout's v2 conversation object with embedded threads, as its Mailbox API 2.0 documents them.
enum HelpScoutFixture {
    static func thread(id: Int, type: String, body: String, createdAt: String) -> String {
        let author =
            type == "customer"
            ? #"{"id":29418,"type":"customer","first":"Vernon","last":"Bear","email":"vbear@mywork.com"}"#
            : #"{"id":12,"type":"user","first":"Ana","last":"Ruiz","email":"ana@ourshop.com"}"#
        return
            #"{"id":\#(id),"type":"\#(type)","status":"active","state":"published","body":"\#(body)","source":{"type":"email","via":"\#(type == "customer" ? "customer" : "user")"},"customer":{"id":29418,"first":"Vernon","last":"Bear","email":"vbear@mywork.com"},"createdBy":\#(author),"createdAt":"\#(createdAt)"}"#
    }

    static let first = thread(
        id: 1234, type: "customer", body: "<p>My parcel is still not here &amp; the tracking page is empty.</p>",
        createdAt: "2026-08-17T07:00:00Z")
    static let agent = thread(
        id: 1237, type: "message", body: "<p>We are checking.</p>", createdAt: "2026-08-17T07:10:00Z")
    static let reply = thread(id: 1240, type: "customer", body: "Any news?", createdAt: "2026-08-17T08:00:00Z")

    static func conversation(threads: [String]) -> String {
        ##"{"id":123,"number":12,"threads":\##(threads.count),"type":"email","folderId":11,"status":"active","state":"published","subject":"Parcel","preview":"Parcel","mailboxId":13,"createdBy":{"id":29418,"type":"customer","email":"vbear@mywork.com"},"createdAt":"2026-08-17T07:00:00Z","source":{"type":"email","via":"customer"},"tags":[{"id":9150,"color":"#929499","tag":"vip"}],"cc":[],"bcc":[],"primaryCustomer":{"id":29418,"type":"customer","first":"Vernon","last":"Bear","email":"vbear@mywork.com"},"_embedded":{"threads":[\##(threads.joined(separator: ","))]}}"##
    }
}
