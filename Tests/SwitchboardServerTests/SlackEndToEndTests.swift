import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardConnectors
import Testing

/// A Slack source through real HTTP: signed with the app's signing secret the documented way.
@Suite("Slack end to end", .serialized)
struct SlackEndToEndTests {
    static let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"

    static func post(
        _ client: some TestClientProtocol, _ body: String, timestamp: Date = Date(), secret: String = signingSecret
    ) async throws -> TestResponse {
        let stamp = String(Int(timestamp.timeIntervalSince1970))
        let mac = Signature.hmacSHA256(key: Array(secret.utf8), [Array("v0:\(stamp):".utf8), Array(body.utf8)])
        return try await client.execute(
            uri: "/v1/inbound/sl", method: .post,
            headers: [
                .contentType: "application/json", HTTPField.Name("X-Slack-Request-Timestamp")!: stamp,
                HTTPField.Name("X-Slack-Signature")!: "v0=" + Signature.hex(mac),
            ],
            body: ByteBuffer(string: body))
    }

    @Test("handshake, a routed message with the Slack user as the customer, a retried event, a bot message, bad requests")
    func slack() async throws {
        let desk = try await TestDesk.start()
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        environment.configuration.sources.append(SourceSettings(name: "sl", kind: .slack, secret: Self.signingSecret))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let challenge = try await Self.post(client, #"{"token":"t","challenge":"abc123","type":"url_verification"}"#)
            #expect(challenge.status == .ok)
            #expect(challenge.json["challenge"] as? String == "abc123")

            let event = SlackConnectorFixture.message(text: "my parcel is late", eventId: "Ev42")
            #expect(try await Self.post(client, event).status == .accepted)
            // Slack retries with a new timestamp and signature: the event id makes it a duplicate.
            let retry = try await Self.post(client, event, timestamp: Date().addingTimeInterval(-5))
            #expect(retry.status == .ok)
            #expect(retry.json["status"] as? String == "duplicate")

            let handoff = try #require(await desk.waitForDeliveries(1).first)
            #expect(handoff.value("conversation.source") as? String == "sl")
            #expect(handoff.value("conversation.external_id") as? String == "C2147483705:1355517523.000005")
            #expect(handoff.value("conversation.messages.0.text") as? String == "my parcel is late")
            let identities = handoff.value("customer.identities") as? [[String: Any]] ?? []
            #expect(identities.map { $0["value"] as? String } == ["sl:U2147483697"])

            let bot = try await Self.post(client, SlackConnectorFixture.message(extra: #","bot_id":"B1""#, eventId: "Ev43"))
            #expect(bot.status == .ok)
            #expect(bot.json["status"] as? String == "ignored")
            #expect(try await client.metrics().value("switchboard_inbound_ignored_total", ["source": "sl", "type": "message.bot_message"]) == 1)

            let stale = try await Self.post(client, event, timestamp: Date().addingTimeInterval(-600))
            #expect(stale.status == .unauthorized)
            #expect(stale.errorMessage == "timestamp outside tolerance")
            let forged = try await Self.post(client, event, secret: "not-the-secret")
            #expect(forged.status == .unauthorized)
            let malformed = try await Self.post(client, #"{"type":"event_callback","event_id":"Ev9","event":{"type":"message","user":"U1","text":"hi","ts":"1.0"}}"#)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: event.channel")
            let notJSON = try await Self.post(client, "not json")
            #expect(notJSON.status == .badRequest)
        }
        await desk.stop()
    }

    @Test("with an API token, the Slack user's email (users.info) joins them to the customer they are on the web")
    func directory() async throws {
        let desk = try await TestDesk.start()
        let slack = try await StandInAPI.start { call in
            guard call.authorization == "Bearer xoxb-test", call.path == "/api/users.info", call.query == "user=U2147483697" else {
                return .init(status: .ok, json: #"{"ok":false,"error":"invalid_auth"}"#)
            }
            return .init(
                status: .ok,
                json: #"{"ok":true,"user":{"id":"U2147483697","real_name":"Ana Ruiz","profile":{"email":"Ana@Example.com","real_name":"Ana Ruiz"}}}"#)
        }
        var setup = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        setup.configuration.sources.append(
            SourceSettings(name: "sl", kind: .slack, secret: Self.signingSecret, apiToken: "xoxb-test", apiURL: slack.url + "/api"))
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let web = TestEnvironment.body(conversation: "w-1", customerId: "u-7", messageId: "m-1", text: "my parcel is late")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            _ = await desk.waitForDeliveries(1)
            #expect(try await Self.post(client, SlackConnectorFixture.message(text: "still waiting", eventId: "Ev77")).status == .accepted)
            let handoffs = await desk.waitForDeliveries(2)
            try #require(handoffs.count == 2)
            let fromSlack = handoffs[1]
            #expect(fromSlack.value("conversation.source") as? String == "sl")
            #expect(fromSlack.value("history.0.source") as? String == "web")
            let identities = (fromSlack.value("customer.identities") as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(identities.sorted() == ["ana@example.com", "sl:U2147483697", "web:u-7"])
            #expect(slack.received.count == 1)
        }
        await slack.stop()
        await desk.stop()
    }
}

/// Slack `message` events as the Events API documents them.
enum SlackConnectorFixture {
    static func message(
        text: String = "Where is my order?", user: String = "U2147483697", extra: String = "", eventId: String = "Ev0PV52K21"
    ) -> String {
        #"{"token":"z26uFbvR1xHJEdHE1OQiO6t8","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","type":"event_callback","event_id":"\#(eventId)","event_time":1355517523,"event":{"type":"message","channel":"C2147483705","user":"\#(user)","text":"\#(text)","ts":"1355517523.000005","channel_type":"im"\#(extra)}}"#
    }
}
