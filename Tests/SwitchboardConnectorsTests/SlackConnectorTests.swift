import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Slack's Events API, from Slack's documentation of request signing and of the `message` event.
@Suite("Slack connector")
struct SlackConnectorTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let connector = SlackConnector(signingSecret: secret)

    /// Signs a body the documented way: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`.
    static func request(_ body: String, at now: Date = Date(), timestamp: Date? = nil, secret: String = secret) -> ConnectorRequest {
        let stamp = String(Int((timestamp ?? now).timeIntervalSince1970))
        let mac = Signature.hmacSHA256(key: Array(secret.utf8), [Array("v0:\(stamp):".utf8), Array(body.utf8)])
        return ConnectorRequest(
            headers: ["X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + Signature.hex(mac)],
            body: Array(body.utf8), receivedAt: now)
    }

    static func message(
        text: String = "Where is my order?", user: String = "U2147483697", extra: String = "", eventId: String = "Ev0PV52K21"
    ) -> String {
        #"{"token":"z26uFbvR1xHJEdHE1OQiO6t8","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","type":"event_callback","event_id":"\#(eventId)","event_time":1355517523,"event":{"type":"message","channel":"C2147483705","user":"\#(user)","text":"\#(text)","ts":"1355517523.000005","channel_type":"im"\#(extra)}}"#
    }

    @Test("Slack's published example request verifies with its example secret, and fails with another")
    func publishedExample() throws {
        // From Slack's "Verifying requests from Slack": a slash command body, signed at 1531420618.
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
        let request = ConnectorRequest(
            headers: [
                "X-Slack-Request-Timestamp": "1531420618",
                "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            ],
            body: Array(body.utf8), receivedAt: Date(timeIntervalSince1970: 1_531_420_618 + 30))
        try Self.connector.verify(request)
        #expect(throws: ConnectorRejection.unauthenticated("X-Slack-Signature does not match the body")) {
            try SlackConnector(signingSecret: "another-secret").verify(request)
        }
    }

    @Test("url_verification is answered with its challenge")
    func handshake() throws {
        let body = #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        #expect(try Self.connector.receive(Self.request(body)) == .handshake(.json(["challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"])))
    }

    @Test("a message event is keyed by event_id and becomes the customer's message in a thread-or-ts conversation")
    func messageEvent() throws {
        let body = Self.message()
        #expect(try Self.connector.receive(Self.request(body)) == .event(key: "Ev0PV52K21"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "slack", receivedAt: Date())
        #expect(message.conversationId == "C2147483705:1355517523.000005")
        #expect(message.customer.identities(source: "slack").map(\.description) == ["source_user:slack:U2147483697"])
        #expect(message.text == "Where is my order?")
        #expect(message.channel == "chat")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_355_517_523.000005))
        let threaded = try Self.connector.message(
            from: Array(Self.message(extra: #","thread_ts":"1355517000.000001""#).utf8), source: "slack", receivedAt: Date())
        #expect(threaded.conversationId == "C2147483705:1355517000.000001")
    }

    @Test("bot messages, edits and other event types are acknowledged and ignored")
    func ignored() throws {
        #expect(try Self.connector.receive(Self.request(Self.message(extra: #","bot_id":"B123""#))) == .ignored(type: "message.bot_message"))
        #expect(try Self.connector.receive(Self.request(Self.message(extra: #","subtype":"message_changed""#))) == .ignored(type: "message.message_changed"))
        let reaction = #"{"type":"event_callback","event_id":"Ev1","event":{"type":"reaction_added","user":"U1"}}"#
        #expect(try Self.connector.receive(Self.request(reaction)) == .ignored(type: "reaction_added"))
    }

    @Test("a wrong signature, a stale timestamp and a malformed event are refused with the reason")
    func refused() {
        let body = Self.message()
        #expect(throws: ConnectorRejection.unauthenticated("X-Slack-Signature does not match the body")) {
            try Self.connector.receive(Self.request(body, secret: "wrong"))
        }
        #expect(throws: ConnectorRejection.timestampOutsideTolerance) {
            try Self.connector.receive(Self.request(body, timestamp: Date().addingTimeInterval(-301)))
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing X-Slack-Signature header")) {
            try Self.connector.receive(ConnectorRequest(headers: ["X-Slack-Request-Timestamp": String(Int(Date().timeIntervalSince1970))], body: [], receivedAt: Date()))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("event.user"))) {
            try Self.connector.receive(Self.request(#"{"type":"event_callback","event_id":"Ev2","event":{"type":"message","channel":"C1","text":"hi","ts":"1.0"}}"#))
        }
    }
}
