import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Help Scout webhooks, from its "Webhooks" page (headers, signature, events) and the Mailbox API
/// 2.0 conversation and thread objects the v2 payload is made of.
@Suite("Help Scout connector")
struct HelpScoutConnectorTests {
    static let secret = "mZ9XbGHodX"
    static let connector = HelpScoutConnector(secret: secret)

    /// Signs a body the documented way: base64 HMAC-SHA1 of the raw body, keyed with the secret key.
    static func request(_ body: String, event: String, secret: String = secret) -> ConnectorRequest {
        let mac = Signature.hmacSHA1(key: Array(secret.utf8), [Array(body.utf8)])
        return ConnectorRequest(
            headers: ["X-HelpScout-Event": event, "X-HelpScout-Signature": Signature.base64(mac)],
            body: Array(body.utf8), receivedAt: Date())
    }

    static func thread(
        id: Int, type: String = "customer", body: String, createdAt: String, customerEmail: String = "vbear@mywork.com"
    ) -> String {
        #"{"id":\#(id),"type":"\#(type)","status":"active","state":"published","body":"\#(body)","source":{"type":"email","via":"customer"},"customer":{"id":29418,"first":"Vernon","last":"Bear","email":"\#(customerEmail)"},"createdBy":{"id":\#(type == "customer" ? 29418 : 12),"type":"\#(type == "customer" ? "customer" : "user")","first":"Vernon","last":"Bear","email":"vbear@mywork.com"},"to":[],"cc":[],"bcc":[],"createdAt":"\#(createdAt)"}"#
    }

    /// A v2 conversation object as "Get Conversation" documents it, with embedded threads (newest first).
    static func conversation(threads: [String], type: String = "email", sourceType: String = "email") -> String {
        ##"{"id":123,"number":12,"threads":\##(threads.count),"type":"\##(type)","folderId":11,"status":"active","state":"published","subject":"Help","preview":"Preview","mailboxId":13,"createdBy":{"id":29418,"type":"customer","email":"vbear@mywork.com"},"createdAt":"2015-06-05T20:18:33Z","source":{"type":"\##(sourceType)","via":"customer"},"tags":[{"id":9150,"color":"#929499","tag":"vip"}],"cc":[],"bcc":[],"primaryCustomer":{"id":29418,"type":"customer","first":"Vernon","last":"Bear","email":"vbear@mywork.com"},"customFields":[],"_embedded":{"threads":[\##(threads.joined(separator: ","))]}}"##
    }

    static let created = conversation(threads: [
        thread(
            id: 1234, body: "<p>My parcel is late &amp; the tracking page is empty.</p><p>Order 5521</p>",
            createdAt: "2015-06-05T20:18:33Z")
    ])

    static let replied = conversation(threads: [
        thread(id: 1240, body: "Still nothing.<br/>Any news?", createdAt: "2015-06-06T09:00:00Z"),
        thread(id: 1237, type: "message", body: "We are checking.", createdAt: "2015-06-05T21:00:00Z"),
        thread(id: 1234, body: "My parcel is late", createdAt: "2015-06-05T20:18:33Z"),
    ])

    @Test("the settings page's test event is answered and nothing is stored")
    func testEvent() throws {
        #expect(
            try Self.connector.receive(Self.request(#"{"id":123}"#, event: "helpscout.test"))
                == .handshake(.json(["status": "ok"])))
    }

    @Test("convo.created: the conversation, its primary customer and the customer thread as plain text")
    func created() throws {
        #expect(
            try Self.connector.receive(Self.request(Self.created, event: "convo.created")) == .event(key: "123:1234"))
        let message = try Self.connector.message(from: Array(Self.created.utf8), source: "hs", receivedAt: Date())
        #expect(message.conversationId == "123")
        #expect(message.customer == CustomerInfo(externalId: "29418", name: "Vernon Bear", email: "vbear@mywork.com"))
        #expect(
            message.customer.identities(source: "hs").map(\.description) == [
                "source_user:hs:29418", "email:vbear@mywork.com",
            ])
        #expect(message.text == "My parcel is late & the tracking page is empty.\nOrder 5521")
        #expect(message.messageId == "1234")
        #expect(message.channel == "email")
        #expect(message.sentAt == Timestamp.parse("2015-06-05T20:18:33Z"))
        #expect(
            message.attributes == [
                "tags": .list([.string("vip")]), "helpscout_type": .string("email"),
                "helpscout_source": .string("email"),
                "helpscout_mailbox": .string("13"),
            ])
    }

    @Test("convo.customer.reply.created: the newest customer thread, whatever came between")
    func customerReply() throws {
        #expect(
            try Self.connector.receive(Self.request(Self.replied, event: "convo.customer.reply.created"))
                == .event(key: "123:1240"))
        let message = try Self.connector.message(from: Array(Self.replied.utf8), source: "hs", receivedAt: Date())
        #expect(message.text == "Still nothing.\nAny news?")
        #expect(message.messageId == "1240")
        #expect(message.sentAt == Timestamp.parse("2015-06-06T09:00:00Z"))
    }

    @Test("chats map to chat; legacy v1 bodies (customer, threads, firstName, string tags) are read too")
    func channelsAndV1() throws {
        let chat = Self.conversation(
            threads: [Self.thread(id: 1, body: "hi", createdAt: "2015-06-05T20:18:33Z")], type: "chat",
            sourceType: "beacon")
        #expect(try Self.connector.message(from: Array(chat.utf8), source: "hs", receivedAt: Date()).channel == "chat")
        let v1 =
            #"{"id":291938,"type":"email","customer":{"id":29418,"firstName":"Vernon","lastName":"Bear","email":"vbear@mywork.com","type":"customer"},"tags":["vip"],"threads":[{"id":88171881,"type":"customer","body":"I need help!","createdBy":{"id":29418,"type":"customer","email":"vbear@mywork.com"},"createdAt":"2012-07-23T12:34:12Z"}]}"#
        let message = try Self.connector.message(from: Array(v1.utf8), source: "hs", receivedAt: Date())
        #expect(message.conversationId == "291938")
        #expect(message.customer == CustomerInfo(externalId: "29418", name: "Vernon Bear", email: "vbear@mywork.com"))
        #expect(message.text == "I need help!")
        #expect(message.attributes["tags"] == .list([.string("vip")]))
    }

    @Test("other events, and a conversation an agent started, are acknowledged and ignored")
    func ignored() throws {
        #expect(
            try Self.connector.receive(Self.request(Self.created, event: "convo.assigned"))
                == .ignored(type: "convo.assigned"))
        #expect(
            try Self.connector.receive(Self.request(#"{"id":123}"#, event: "convo.deleted"))
                == .ignored(type: "convo.deleted"))
        let outbound = Self.conversation(threads: [
            Self.thread(id: 7, type: "message", body: "Hello from us", createdAt: "2015-06-05T20:18:33Z")
        ])
        #expect(
            try Self.connector.receive(Self.request(outbound, event: "convo.created"))
                == .ignored(type: "convo.created.no_customer_thread"))
    }

    @Test("a wrong signature, a missing event header and malformed bodies are refused with the reason")
    func refused() {
        #expect(throws: ConnectorRejection.unauthenticated("X-HelpScout-Signature does not match the body")) {
            try Self.connector.receive(Self.request(Self.created, event: "convo.created", secret: "wrong"))
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing X-HelpScout-Signature header")) {
            try Self.connector.receive(
                ConnectorRequest(
                    headers: ["X-HelpScout-Event": "convo.created"], body: Array(Self.created.utf8), receivedAt: Date())
            )
        }
        #expect(throws: ConnectorRejection.payload(.missingField("X-HelpScout-Event header"))) {
            var request = Self.request(Self.created, event: "convo.created")
            request.headers["x-helpscout-event"] = nil
            return try Self.connector.receive(request)
        }
        let notJSON = #expect(throws: ConnectorRejection.self) {
            try Self.connector.receive(Self.request("<html>", event: "convo.created"))
        }
        if case .payload(.malformed) = notJSON {
        } else {
            Issue.record("expected a malformed body, got \(String(describing: notJSON))")
        }
        #expect(throws: ConnectorRejection.payload(.missingField("_embedded.threads"))) {
            try Self.connector.receive(Self.request(#"{"id":123,"primaryCustomer":{"id":1}}"#, event: "convo.created"))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("_embedded.threads.0.body"))) {
            try Self.connector.receive(
                Self.request(
                    #"{"id":123,"primaryCustomer":{"id":1},"_embedded":{"threads":[{"id":5,"type":"customer"}]}}"#,
                    event: "convo.created"))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("id"))) {
            try Self.connector.receive(
                Self.request(
                    #"{"primaryCustomer":{"id":1},"_embedded":{"threads":[{"id":5,"type":"customer","body":"hi"}]}}"#,
                    event: "convo.created"))
        }
    }
}
