import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Front application webhooks, from Front's "Application webhooks" guide (validation request,
/// signature, millisecond timestamp) and its Events reference (event previews).
@Suite("Front connector")
struct FrontConnectorTests {
    static let secret = "b2f1c4d3e5a6978812345678abcdef90"
    static let connector = FrontConnector(appSecret: secret)

    /// Signs a body the documented way: base64 HMAC-SHA256 of `{timestamp}:{raw body}`, the
    /// timestamp in milliseconds.
    static func request(
        _ body: String, at now: Date = Date(), timestamp: Date? = nil, secret: String = secret, challenge: String? = nil
    ) -> ConnectorRequest {
        let stamp = String(Int64((timestamp ?? now).timeIntervalSince1970 * 1000))
        let mac = Signature.hmacSHA256(key: Array(secret.utf8), [Array("\(stamp):".utf8), Array(body.utf8)])
        var headers = ["X-Front-Request-Timestamp": stamp, "X-Front-Signature": Signature.base64(mac)]
        headers["X-Front-Challenge"] = challenge
        return ConnectorRequest(headers: headers, body: Array(body.utf8), receivedAt: now)
    }

    /// An application webhook envelope around an event preview, shaped as Front's Events reference shows.
    static func event(
        type: String = "inbound_received", eventId: String = "evt_55c8c149", handle: String = "ana@example.com",
        name: String = "Ana Ruiz", messageType: String = "email",
        message: String = #""text":"my parcel is late","body":"<p>my parcel is late</p>""#,
        conversation: String = #""id":"cnv_55c8c149""#
    ) -> String {
        #"{"type":"\#(type)","authorization":{"id":"cmp_abc"},"payload":{"_links":{"self":"https://yourCompany.api.frontapp.com/events/\#(eventId)"},"id":"\#(eventId)","type":"inbound","emitted_at":1453770984.123,"conversation":{"_links":{"self":"https://yourCompany.api.frontapp.com/conversations/cnv_55c8c149"},\#(conversation),"subject":"Where is my parcel?","status":"unassigned","recipient":{"handle":"\#(handle)","role":"from"}},"source":{"_meta":{"type":"inboxes"},"data":[{"id":"inb_55c8c149","name":"Support"}]},"target":{"_meta":{"type":"message"},"data":{"_links":{"self":"https://yourCompany.api.frontapp.com/messages/msg_55c8c149"},"id":"msg_55c8c149","type":"\#(messageType)","is_inbound":true,"created_at":1453770984.5,"blurb":"my parcel is late","author":null,"recipients":[{"handle":"\#(handle)","role":"from","name":"\#(name)"},{"handle":"support@company.example","role":"to"}],\#(message)}}}}"#
    }

    @Test("the validation request is answered with its challenge once its signature checks")
    func handshake() throws {
        let body = #"{"type":"sync","authorization":{"id":"cmp_abc"}}"#
        #expect(
            try Self.connector.receive(Self.request(body, challenge: "c7d8e9f0"))
                == .handshake(.json(["challenge": "c7d8e9f0"])))
        #expect(throws: ConnectorRejection.unauthenticated("X-Front-Signature does not match the body")) {
            try Self.connector.receive(Self.request(body, secret: "another-secret", challenge: "c7d8e9f0"))
        }
    }

    @Test("inbound_received is keyed by the event id and becomes the sender's message in the Front conversation")
    func inboundMessage() throws {
        let body = Self.event()
        #expect(try Self.connector.receive(Self.request(body)) == .event(key: "evt_55c8c149"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "fr", receivedAt: Date())
        #expect(message.conversationId == "cnv_55c8c149")
        #expect(message.messageId == "msg_55c8c149")
        #expect(message.text == "my parcel is late")
        #expect(message.channel == "email")
        #expect(message.customer == CustomerInfo(name: "Ana Ruiz", email: "ana@example.com"))
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_453_770_984.5))
        #expect(message.attributes["subject"] == .string("Where is my parcel?"))
    }

    @Test(
        "the text is the message's text, else its HTML body as text, else the preview's blurb",
        arguments: [
            (#""text":"plain text","body":"<p>html</p>""#, "plain text"),
            (
                #""body":"<div>Hello,<br>my parcel is <b>late</b> &amp; lost</div><style>p{}</style>""#,
                "Hello,\nmy parcel is late & lost"
            ),
            (#""body":"<p>Is 5 < 6?</p><p>Yes &lt;b&gt; it is</p>""#, "Is 5 < 6?\nYes <b> it is"),
            (#""text":"""#, "my parcel is late"),
        ])
    func text(fields: String, expected: String) throws {
        let message = try Self.connector.message(
            from: Array(Self.event(message: fields).utf8), source: "fr", receivedAt: Date())
        #expect(message.text == expected)
    }

    @Test("an SMS sender is a phone identity; a handle that is neither email nor phone is the customer's id at Front")
    func handles() throws {
        let sms = try Self.connector.message(
            from: Array(Self.event(handle: "+15551234567", messageType: "sms").utf8), source: "fr", receivedAt: Date())
        #expect(sms.channel == "sms")
        #expect(sms.customer == CustomerInfo(name: "Ana Ruiz", phone: "+15551234567"))
        let chat = try Self.connector.message(
            from: Array(Self.event(handle: "@ana_ruiz", messageType: "custom").utf8), source: "fr", receivedAt: Date())
        #expect(chat.channel == "chat")
        #expect(chat.customer == CustomerInfo(externalId: "@ana_ruiz", name: "Ana Ruiz"))
    }

    @Test(
        "other event types are acknowledged and ignored",
        arguments: ["outbound_sent", "tag_added", "conversation_archived"])
    func ignored(type: String) throws {
        #expect(try Self.connector.receive(Self.request(Self.event(type: type))) == .ignored(type: type))
    }

    @Test("a wrong signature, a stale millisecond timestamp and a malformed event are refused with the reason")
    func refused() {
        let body = Self.event()
        #expect(throws: ConnectorRejection.unauthenticated("X-Front-Signature does not match the body")) {
            try Self.connector.receive(Self.request(body, secret: "wrong"))
        }
        #expect(throws: ConnectorRejection.timestampOutsideTolerance) {
            try Self.connector.receive(Self.request(body, timestamp: Date().addingTimeInterval(-301)))
        }
        #expect(throws: ConnectorRejection.timestampOutsideTolerance) {
            try Self.connector.receive(Self.request(body, timestamp: Date().addingTimeInterval(301)))
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing X-Front-Signature header")) {
            try Self.connector.receive(
                ConnectorRequest(
                    headers: ["X-Front-Request-Timestamp": String(Int64(Date().timeIntervalSince1970 * 1000))],
                    body: [], receivedAt: Date()))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("payload.conversation.id"))) {
            try Self.connector.receive(Self.request(Self.event(conversation: #""subject_only":true"#)))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("payload.target.data.text"))) {
            try Self.connector.receive(
                Self.request(
                    Self.event(message: #""text":" ""#).replacingOccurrences(
                        of: #""blurb":"my parcel is late","#, with: "")))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("type"))) {
            try Self.connector.receive(Self.request(#"{"payload":{}}"#))
        }
        #expect(throws: ConnectorRejection.payload(.invalidField("payload.id", "expected a string"))) {
            try Self.connector.receive(
                Self.request(Self.event().replacingOccurrences(of: #""id":"evt_55c8c149""#, with: #""id":42"#)))
        }
        #expect(throws: ConnectorRejection.payload(.malformed("the body must be a JSON object"))) {
            try Self.connector.receive(Self.request("[]"))
        }
    }
}
