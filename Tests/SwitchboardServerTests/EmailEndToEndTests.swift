import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import Testing

/// An inbound-email source through real HTTP: Postmark-style JSON posts to a secret path, and
/// another source with basic auth.
@Suite("Email end to end", .serialized)
struct EmailEndToEndTests {
    static let token = "tok_4f8a1c2e9b7d6a5f0e1d"

    static func post(
        _ client: some TestClientProtocol, _ body: String, path: String = "/v1/inbound/mail/\(token)",
        authorization: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let authorization { headers[.authorization] = authorization }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// An email with Postmark's inbound fields and the threading headers a mail client writes.
    static func email(messageID: String, ownId: String, inReplyTo: String? = nil, text: String) -> String {
        var headers: [[String: String]] = [["Name": "Message-ID", "Value": ownId]]
        if let inReplyTo {
            headers.append(["Name": "In-Reply-To", "Value": inReplyTo])
            headers.append(["Name": "References", "Value": inReplyTo])
        }
        let object: [String: Any] = [
            "From": "ana@example.com", "FromName": "Ana Ruiz",
            "FromFull": ["Email": "ana@example.com", "Name": "Ana Ruiz", "MailboxHash": ""],
            "To": "support@inbound.example.com", "Subject": inReplyTo == nil ? "My parcel" : "Re: My parcel",
            "MessageID": messageID, "Date": "Mon, 23 Nov 2026 10:05:00 +0000", "TextBody": text + "\n\n> earlier text",
            "StrippedTextReply": text, "HtmlBody": "", "Headers": headers,
        ]
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test(
        "an email routed with the web history, its reply joining the same conversation, a retried post, refused credentials"
    )
    func email() async throws {
        let desk = try await TestDesk.start()
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        environment.configuration.sources += [
            SourceSettings(name: "mail", kind: .email, secret: "", token: Self.token),
            SourceSettings(name: "mailb", kind: .email, secret: "", username: "postmark", password: "s3cret-pass"),
        ]
        defer { environment.remove() }
        try await environment.application().test(.live) { [environment] client in
            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "ana@example.com", messageId: "m-1", text: "hello")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let first = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(first.value("conversation.id") as? String)

            let email = Self.email(
                messageID: "pm-0001", ownId: "<CAF=first@mail.example.com>", text: "my parcel is late")
            #expect(try await Self.post(client, email).status == .accepted)
            // Postmark retries a post it thinks failed: MessageID makes it a duplicate.
            let retry = try await Self.post(client, email)
            #expect(retry.status == .ok)
            #expect(retry.json["status"] as? String == "duplicate")

            let handoff = try #require(await desk.waitForDeliveries(2).last)
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("conversation.source") as? String == "mail")
            #expect(handoff.value("conversation.external_id") as? String == "CAF=first@mail.example.com")
            #expect(handoff.value("conversation.channel") as? String == "email")
            #expect(handoff.value("conversation.messages.0.text") as? String == "my parcel is late")
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(identities.sorted() == ["ana@example.com", "web:u-42"])
            let history = handoff.value("history") as? [[String: Any]] ?? []
            #expect(history.map { $0["id"] as? String } == [webConversation])
            let conversationId = try #require(handoff.value("conversation.id") as? String)

            // The customer replies: In-Reply-To and References name the first email.
            let reply = Self.email(
                messageID: "pm-0002", ownId: "<CAF=second@mail.example.com>", inReplyTo: "<CAF=first@mail.example.com>",
                text: "it was due on Monday")
            #expect(try await Self.post(client, reply).status == .accepted)
            let deliveries = await desk.waitForDeliveries(3)
            try #require(deliveries.count == 3)
            #expect(deliveries[2].value("kind") as? String == "message")
            #expect(deliveries[2].value("conversation_id") as? String == conversationId)
            #expect(deliveries[2].value("message.text") as? String == "it was due on Monday")

            let wrongToken = try await Self.post(client, email, path: "/v1/inbound/mail/tok_0000000000000000")
            #expect(wrongToken.status == .unauthorized)
            let noToken = try await Self.post(client, email, path: "/v1/inbound/mail")
            #expect(noToken.status == .unauthorized)

            let basic = "Basic " + Data("postmark:s3cret-pass".utf8).base64EncodedString()
            let other = Self.email(
                messageID: "pm-0003", ownId: "<CAF=third@mail.example.com>", text: "another question")
            #expect(
                try await Self.post(client, other, path: "/v1/inbound/mailb", authorization: basic).status == .accepted)
            let wrongPassword = "Basic " + Data("postmark:guess".utf8).base64EncodedString()
            let refused = try await Self.post(client, other, path: "/v1/inbound/mailb", authorization: wrongPassword)
            #expect(refused.status == .unauthorized)
            #expect(refused.errorMessage == "wrong credentials")
            #expect(try await Self.post(client, other, path: "/v1/inbound/mailb").status == .unauthorized)

            let malformed = try await Self.post(client, #"{"MessageID":"pm-0009","From":"ana@example.com"}"#)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: TextBody")
        }
        await desk.stop()
    }
}
