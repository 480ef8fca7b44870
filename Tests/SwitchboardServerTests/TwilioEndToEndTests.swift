import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardConnectors
import Testing

/// A Twilio Conversations source through real HTTP: form posts signed with the auth token over the
/// configured public URL (the server sits behind a proxy, so the URL Twilio signs is not the one it serves).
@Suite("Twilio end to end", .serialized)
struct TwilioEndToEndTests {
    static let authToken = "9f3c2a1b8d7e6f5a4b3c2d1e0f9a8b7c"
    static let publicURL = "https://switchboard.example.com/v1/inbound/tw"

    static func post(
        _ client: some TestClientProtocol, _ parameters: [(String, String)], token: String = authToken
    ) async throws -> TestResponse {
        let signed = publicURL + parameters.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        let signature = Signature.base64(Signature.hmacSHA1(key: Array(token.utf8), [Array(signed.utf8)]))
        return try await client.execute(
            uri: "/v1/inbound/tw", method: .post,
            headers: [
                .contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Twilio-Signature")!: signature,
            ],
            body: ByteBuffer(string: TwilioFixture.form(parameters)))
    }

    @Test(
        "a signed SMS routed with the phone's history from the web, a retried delivery, an ignored event, bad requests")
    func twilio() async throws {
        let desk = try await TestDesk.start()
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent(
                "ana", name: "Ana Ruiz", skills: "{general: 3}", capacity: "{chat: 3, email: 10, sms: 3}", desk: desk)
        ])
        environment.configuration.sources.append(
            SourceSettings(name: "tw", kind: .twilio, secret: Self.authToken, publicURL: Self.publicURL))
        defer { environment.remove() }
        try await environment.application().test(.live) { [environment] client in
            // The same person first wrote on the web, giving the phone number in another format.
            let web = try JSONSerialization.data(
                withJSONObject: [
                    "conversation_id": "web-1", "channel": "chat",
                    "customer": ["id": "u-42", "name": "Ana Ruiz", "phone": "+1 (555) 123-4567"],
                    "message": ["id": "m-1", "text": "where is my parcel?", "sent_at": "2026-11-23T10:00:00Z"],
                ], options: [.sortedKeys])
            #expect(try await client.postInbound(environment, body: Array(web)).status == .accepted)
            let first = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(first.value("conversation.id") as? String)

            let sms = TwilioFixture.messageAdded(
                author: "+15551234567", body: "my parcel is late", messageSid: "IM0000000000000000000000000000sms1")
            #expect(try await Self.post(client, sms).status == .accepted)
            // Twilio retries a webhook it thinks failed: MessageSid makes it a duplicate.
            let retry = try await Self.post(client, sms.map { $0.0 == "RetryCount" ? ($0.0, "1") : $0 })
            #expect(retry.status == .ok)
            #expect(retry.json["status"] as? String == "duplicate")

            let deliveries = await desk.waitForDeliveries(2)
            try #require(deliveries.count == 2)
            let handoff = deliveries[1]
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("conversation.source") as? String == "tw")
            #expect(handoff.value("conversation.external_id") as? String == "CH6c25138e952448e3b27ef8164097a1c7")
            #expect(handoff.value("conversation.channel") as? String == "sms")
            #expect(handoff.value("conversation.messages.0.text") as? String == "my parcel is late")
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(identities.sorted() == ["+15551234567", "web:u-42"])
            let history = handoff.value("history") as? [[String: Any]] ?? []
            #expect(history.map { $0["id"] as? String } == [webConversation])

            let added = [
                ("EventType", "onConversationAdded"), ("ConversationSid", "CH00000000000000000000000000000002"),
            ]
            let ignored = try await Self.post(client, added)
            #expect(ignored.status == .ok)
            #expect(ignored.json["status"] as? String == "ignored")
            #expect(
                try await client.metrics().value(
                    "switchboard_inbound_ignored_total", ["source": "tw", "type": "onConversationAdded"]) == 1)

            let forged = try await Self.post(
                client, TwilioFixture.messageAdded(messageSid: "IM0000000000000000000000000000sms2"),
                token: "not-the-token")
            #expect(forged.status == .unauthorized)
            let malformed = try await Self.post(client, sms.filter { $0.0 != "MessageSid" })
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: MessageSid")
        }
        await desk.stop()
    }
}

/// Twilio Conversations `onMessageAdded` webhooks as Twilio documents them, form-encoded.
enum TwilioFixture {
    static func messageAdded(
        author: String = "+15551234567", body: String = "my parcel is late",
        messageSid: String = "IM8d613ccb9016450fa29faecfaa7bb6f4"
    ) -> [(String, String)] {
        [
            ("EventType", "onMessageAdded"), ("AccountSid", "AC00000000000000000000000000000001"),
            ("ChatServiceSid", "IS00000000000000000000000000000001"),
            ("ConversationSid", "CH6c25138e952448e3b27ef8164097a1c7"), ("MessageSid", messageSid), ("Index", "0"),
            ("Author", author), ("Body", body), ("Attributes", "{}"), ("DateCreated", "2026-11-23T10:05:00.000Z"),
            ("Source", "SMS"), ("ParticipantSid", "MBc58b06998c564765bbff41cfd3a03219"), ("RetryCount", "0"),
        ]
    }

    static func form(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~ ")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: " ", with: "+")
        }
        return parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
