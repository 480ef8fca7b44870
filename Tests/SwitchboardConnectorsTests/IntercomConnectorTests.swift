import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Intercom webhooks, from its "Webhooks" and "Signed notifications" pages and the REST API 2.x
/// conversation, source and part models.
@Suite("Intercom connector")
struct IntercomConnectorTests {
    static let secret = "a1b2c3d4e5f6client-secret"
    static let connector = IntercomConnector(clientSecret: secret)

    /// Signs a body the documented way: `sha1=` and the hex HMAC-SHA1 of the body, keyed with the client secret.
    static func request(_ body: String, secret: String = secret) -> ConnectorRequest {
        let mac = Signature.hmacSHA1(key: Array(secret.utf8), [Array(body.utf8)])
        return ConnectorRequest(
            headers: ["X-Hub-Signature": "sha1=" + Signature.hex(mac)], body: Array(body.utf8), receivedAt: Date())
    }

    static let author = #"{"type":"user","id":"5bc8f7421ae2d96695c18a","name":"Jo Bloggs","email":"jo@example.com"}"#

    static func notification(
        topic: String, id: String = "notif_ccd8a4d2-c14f-4f2c-bd82-4d5e3e0e4c5f", parts: [String] = [],
        sourceType: String = "conversation", body: String = "<p>My parcel is late</p>"
    ) -> String {
        #"{"type":"notification_event","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"conversation","id":"1911149811","created_at":1539897198,"updated_at":1539897200,"source":{"type":"\#(sourceType)","id":"269650473","delivered_as":"customer_initiated","subject":"","body":"\#(body)","author":\#(author),"attachments":[],"url":"https://example.com/track","redacted":false},"contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"5bc8f7421ae2d96695c18a","external_id":"u-7"}]},"open":true,"state":"open","read":false,"tags":{"type":"tag.list","tags":[{"type":"tag","id":"17","name":"vip"}]},"priority":"not_priority","conversation_parts":{"type":"conversation_part.list","conversation_parts":[\#(parts.joined(separator: ","))],"total_count":\#(parts.count)}}},"links":{},"id":"\#(id)","topic":"\#(topic)","delivery_status":"pending","delivery_attempts":1,"delivered_at":0,"first_sent_at":1539897200,"created_at":1539897200,"self":null}"#
    }

    static func part(id: String, body: String, author: String = author, createdAt: Int = 1_539_897_200) -> String {
        #"{"type":"conversation_part","id":"\#(id)","part_type":"comment","body":"\#(body)","created_at":\#(createdAt),"updated_at":\#(createdAt),"notified_at":\#(createdAt),"assigned_to":null,"author":\#(author),"attachments":[],"external_id":null,"redacted":false}"#
    }

    static let admin = #"{"type":"admin","id":"814860","name":"Sam Agent","email":"sam@ourshop.com"}"#

    @Test("the ping sent when a webhook is saved is answered and nothing is stored")
    func ping() throws {
        let ping =
            #"{"type":"notification_event","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"ping","message":"something something interzen"}},"links":{},"id":null,"topic":"ping","delivery_status":null,"delivery_attempts":1,"delivered_at":0,"first_sent_at":1539897198,"created_at":1539897198,"self":null}"#
        #expect(try Self.connector.receive(Self.request(ping)) == .handshake(.json(["status": "ok"])))
    }

    @Test(
        "conversation.user.created: the conversation, the source's author and its body as plain text, keyed by the notification id"
    )
    func created() throws {
        let body = Self.notification(topic: "conversation.user.created")
        #expect(
            try Self.connector.receive(Self.request(body)) == .event(key: "notif_ccd8a4d2-c14f-4f2c-bd82-4d5e3e0e4c5f"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "ic", receivedAt: Date())
        #expect(message.conversationId == "1911149811")
        #expect(
            message.customer
                == CustomerInfo(externalId: "5bc8f7421ae2d96695c18a", name: "Jo Bloggs", email: "jo@example.com"))
        #expect(
            message.customer.identities(source: "ic").map(\.description) == [
                "source_user:ic:5bc8f7421ae2d96695c18a", "email:jo@example.com",
            ])
        #expect(message.text == "My parcel is late")
        #expect(message.messageId == "269650473")
        #expect(message.channel == "chat")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_539_897_198))
        #expect(
            message.attributes == ["tags": .list([.string("vip")]), "intercom_source_type": .string("conversation")])
        let email = try Self.connector.message(
            from: Array(Self.notification(topic: "conversation.user.created", sourceType: "email").utf8), source: "ic",
            receivedAt: Date())
        #expect(email.channel == "email")
    }

    @Test("conversation.user.replied: the newest part the contact wrote, not the admin's")
    func replied() throws {
        let body = Self.notification(
            topic: "conversation.user.replied", id: "notif_2",
            parts: [
                Self.part(
                    id: "2202737122", body: "<p>Any news?</p><p>It&#39;s been a week.</p>", createdAt: 1_539_897_300),
                Self.part(id: "2202737123", body: "<p>Checking now</p>", author: Self.admin, createdAt: 1_539_897_400),
            ])
        #expect(try Self.connector.receive(Self.request(body)) == .event(key: "notif_2"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "ic", receivedAt: Date())
        #expect(message.conversationId == "1911149811")
        #expect(message.text == "Any news?\nIt's been a week.")
        #expect(message.messageId == "2202737122")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_539_897_300))
        #expect(message.customer.email == "jo@example.com")
    }

    @Test("other topics, and a reply with no part by the contact, are acknowledged and ignored")
    func ignored() throws {
        // The example of Intercom's "Signed notifications" page (its signature's secret is not published).
        let published =
            #"{"type":"notification_event","id":"notif_78c122d0-23ba-11e4-9464-79b01267cc2e","topic":"user.created","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"user","id":"530370b477ad7120001d","user_id":"25","name":"Hoban Washburne","unsubscribed_from_emails":false,"custom_attributes":{}}}}"#
        #expect(try Self.connector.receive(Self.request(published)) == .ignored(type: "user.created"))
        #expect(
            try Self.connector.receive(Self.request(Self.notification(topic: "conversation.admin.replied")))
                == .ignored(type: "conversation.admin.replied"))
        let adminOnly = Self.notification(
            topic: "conversation.user.replied", parts: [Self.part(id: "1", body: "hi", author: Self.admin)])
        #expect(
            try Self.connector.receive(Self.request(adminOnly))
                == .ignored(type: "conversation.user.replied.no_customer_part"))
    }

    @Test("a wrong or unprefixed signature and malformed bodies are refused with the reason")
    func refused() {
        let body = Self.notification(topic: "conversation.user.created")
        #expect(throws: ConnectorRejection.unauthenticated("X-Hub-Signature does not match the body")) {
            try Self.connector.receive(Self.request(body, secret: "wrong"))
        }
        #expect(throws: ConnectorRejection.unauthenticated("X-Hub-Signature must start with sha1=")) {
            var request = Self.request(body)
            request.headers["x-hub-signature"] = String(request.headers["x-hub-signature"]!.dropFirst(5))
            return try Self.connector.receive(request)
        }
        let notJSON = #expect(throws: ConnectorRejection.self) { try Self.connector.receive(Self.request("[1, 2")) }
        if case .payload(.malformed) = notJSON {
        } else {
            Issue.record("expected a malformed body, got \(String(describing: notJSON))")
        }
        #expect(throws: ConnectorRejection.payload(.missingField("topic"))) {
            try Self.connector.receive(Self.request(#"{"type":"notification_event","id":"n"}"#))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("data.item.source.body"))) {
            try Self.connector.receive(Self.request(Self.notification(topic: "conversation.user.created", body: "")))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("data.item.conversation_parts.conversation_parts"))) {
            try Self.connector.receive(
                Self.request(#"{"id":"n","topic":"conversation.user.replied","data":{"item":{"id":"1"}}}"#))
        }
        #expect(throws: ConnectorRejection.payload(.invalidField("data.item.created_at", "expected a number"))) {
            try Self.connector.receive(
                Self.request(
                    #"{"id":"n","topic":"conversation.user.created","data":{"item":{"id":"1","created_at":"yesterday"}}}"#
                ))
        }
    }
}
