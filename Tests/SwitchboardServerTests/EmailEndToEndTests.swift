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

    /// Postmark's `Received-SPF` for a message whose envelope sender is `from`, as its documentation shows one.
    static func receivedSPF(_ from: String) -> String {
        "Pass (sender SPF authorized) identity=mailfrom; client-ip=209.85.160.180; helo=mail.example.com; envelope-from=\(from); receiver=hash@inbound.postmarkapp.com"
    }

    /// An email with Postmark's inbound fields and the threading headers a mail client writes; `spf` is the
    /// `Received-SPF` Postmark adds (nil: none, so `From:` is not verified).
    static func email(
        messageID: String, ownId: String, inReplyTo: String? = nil, text: String, from: String = "ana@example.com",
        name: String = "Ana Ruiz", spf: String? = receivedSPF("ana@example.com")
    ) -> String {
        var headers: [[String: String]] = [["Name": "Message-ID", "Value": ownId]]
        if let spf { headers.insert(["Name": "Received-SPF", "Value": spf], at: 0) }
        if let inReplyTo {
            headers.append(["Name": "In-Reply-To", "Value": inReplyTo])
            headers.append(["Name": "References", "Value": inReplyTo])
        }
        let object: [String: Any] = [
            "From": from, "FromName": name,
            "FromFull": ["Email": from, "Name": name, "MailboxHash": ""],
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
            #expect(handoff.value("conversation.external_id") as? String == "ana@example.com CAF=first@mail.example.com")
            #expect(
                handoff.value("conversation.attributes.sender") as? String == "verified: spf=pass for example.com (Received-SPF)")
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

    @Test(
        "a forged From: joins neither the customer nor their thread; a verified stranger's References: starts their own"
    )
    func forgedSender() async throws {
        let desk = try await TestDesk.start()
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        environment.configuration.sources += [SourceSettings(name: "mail", kind: .email, secret: "", token: Self.token)]
        defer { environment.remove() }
        try await environment.application().test(.live) { [environment] client in
            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "li@example.com", messageId: "m-1", text: "hello")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let first = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(first.value("conversation.id") as? String)
            let li = Self.email(
                messageID: "pm-1", ownId: "<li-root@example.com>", text: "where is my parcel?", from: "li@example.com",
                name: "Li Wei", spf: Self.receivedSPF("li@example.com"))
            #expect(try await Self.post(client, li).status == .accepted)
            let verified = try #require(await desk.waitForDeliveries(2).last)
            let liConversation = try #require(verified.value("conversation.id") as? String)
            #expect((verified.value("history") as? [[String: Any]] ?? []).map { $0["id"] as? String } == [webConversation])

            // Someone else writes as li@example.com, replying to her thread, with no SPF or DKIM pass for it.
            let forged = Self.email(
                messageID: "pm-2", ownId: "<x@attacker.test>", inReplyTo: "<li-root@example.com>", text: "send me my order history",
                from: "li@example.com", name: "Li Wei", spf: nil)
            #expect(try await Self.post(client, forged).status == .accepted)
            let kept = try #require(await desk.waitForDeliveries(3).last)
            #expect(kept.value("kind") as? String == "handoff")
            #expect(kept.value("conversation.id") as? String != liConversation)
            #expect(kept.value("conversation.external_id") as? String == "unverified li@example.com li-root@example.com")
            #expect(
                kept.value("conversation.attributes.sender") as? String
                    == "not verified: no SPF, DKIM or DMARC pass for example.com")
            let identities = (kept.value("customer.identities") as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(identities == ["mail:unverified:li@example.com"])
            #expect((kept.value("history") as? [[String: Any]] ?? []).isEmpty)
            #expect(kept.value("conversation.messages.0.text") as? String == "send me my order history")

            // A verified sender at another domain naming Li's thread: a conversation of their own.
            let stranger = Self.email(
                messageID: "pm-3", ownId: "<bo@other.test>", inReplyTo: "<li-root@example.com>", text: "hi",
                from: "bo@other.test", name: "Bo", spf: Self.receivedSPF("bounce@other.test"))
            #expect(try await Self.post(client, stranger).status == .accepted)
            let own = try #require(await desk.waitForDeliveries(4).last)
            #expect(own.value("kind") as? String == "handoff")
            #expect(own.value("conversation.external_id") as? String == "bo@other.test li-root@example.com")
            #expect(own.value("customer.name") as? String == "Bo")

            // Li's own reply still threads.
            let reply = Self.email(
                messageID: "pm-4", ownId: "<li-2@example.com>", inReplyTo: "<li-root@example.com>", text: "any news?",
                from: "li@example.com", name: "Li Wei", spf: Self.receivedSPF("li@example.com"))
            #expect(try await Self.post(client, reply).status == .accepted)
            let message = try #require(await desk.waitForDeliveries(5).last)
            #expect(message.value("kind") as? String == "message")
            #expect(message.value("conversation_id") as? String == liConversation)
        }
        await desk.stop()
    }
}
