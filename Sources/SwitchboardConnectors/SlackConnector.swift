import Foundation
import SwitchboardCore

/// Slack's Events API (kind `slack`).
///
/// - Signature: `X-Slack-Signature` is `v0=` and the hex HMAC-SHA256, keyed with the app's signing
///   secret, of `v0:{X-Slack-Request-Timestamp}:{raw body}`; the timestamp must be within the tolerance.
/// - The `url_verification` handshake is answered with its challenge.
/// - `message` events from people (not bots, not edits) are messages: `event.user` is the customer,
///   the channel with `event.thread_ts` (or `ts`) is the conversation. Deduplicated by `event_id`.
public struct SlackConnector: Connector {
    let signingSecret: [UInt8]
    let tolerance: Duration

    public init(signingSecret: String, tolerance: Duration = .seconds(300)) {
        self.signingSecret = Array(signingSecret.utf8)
        self.tolerance = tolerance
    }

    struct Envelope: Decodable {
        var type: String?
        var challenge: String?
        var event_id: String?
        var team_id: String?
        var event: Event?
    }

    struct Event: Decodable {
        var type: String?
        var subtype: String?
        var bot_id: String?
        var user: String?
        var text: String?
        var channel: String?
        var channel_type: String?
        var ts: String?
        var thread_ts: String?
        var client_msg_id: String?
    }

    /// Checks the timestamp and the signature.
    public func verify(_ request: ConnectorRequest) throws(ConnectorRejection) {
        let timestamp = request.header("x-slack-request-timestamp")
        try Signature.checkTimestamp(timestamp, header: "X-Slack-Request-Timestamp", now: request.receivedAt, tolerance: tolerance)
        let expected = Signature.hmacSHA256(
            key: signingSecret, [Array("v0:\(timestamp ?? ""):".utf8), request.body])
        try Signature.check(
            request.header("x-slack-signature"), header: "X-Slack-Signature", expected: expected, encoding: .hex(prefix: "v0="))
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try verify(request)
        let envelope = try ConnectorRejection.reading { () throws(PayloadError) in
            try JSONPayload.decode(Envelope.self, from: request.body)
        }
        switch envelope.type {
        case "url_verification":
            let challenge = try ConnectorRejection.reading { () throws(PayloadError) in
                try JSONPayload.required(envelope.challenge, "challenge")
            }
            return .handshake(.json(["challenge": challenge]))
        case "event_callback":
            if let ignored = Self.ignoredType(envelope.event) { return .ignored(type: ignored) }
            _ = try ConnectorRejection.reading { () throws(PayloadError) in
                try Self.message(of: envelope, source: "")
            }
            let key = try ConnectorRejection.reading { () throws(PayloadError) in
                try JSONPayload.required(envelope.event_id, "event_id")
            }
            return .event(key: key)
        default:
            return .ignored(type: envelope.type ?? "unknown")
        }
    }

    /// Why an event is not routed: not a message, a bot's message, or an edit or other subtype.
    static func ignoredType(_ event: Event?) -> String? {
        guard let event else { return "event_callback" }
        let type = event.type ?? "unknown"
        guard type == "message" || type == "app_mention" else { return type }
        if event.bot_id != nil || event.subtype == "bot_message" { return "\(type).bot_message" }
        if let subtype = event.subtype, subtype != "thread_broadcast" { return "\(type).\(subtype)" }
        return nil
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        try Self.message(of: JSONPayload.decode(Envelope.self, from: body), source: source)
    }

    static func message(of envelope: Envelope, source: String) throws(PayloadError) -> InboundMessage {
        guard let event = envelope.event else { throw .missingField("event") }
        let user = try JSONPayload.required(event.user, "event.user")
        let channel = try JSONPayload.required(event.channel, "event.channel")
        let ts = try JSONPayload.required(event.ts, "event.ts")
        guard let text = event.text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .missingField("event.text")
        }
        guard let seconds = Double(ts) else { throw .invalidField("event.ts", "\"\(ts)\" is not a Slack timestamp") }
        var attributes: [String: Value] = ["slack_channel": .string(channel)]
        if let team = envelope.team_id { attributes["slack_team"] = .string(team) }
        if let kind = event.channel_type { attributes["slack_channel_type"] = .string(kind) }
        return InboundMessage(
            source: source, conversationId: "\(channel):\(event.thread_ts ?? ts)", channel: "chat",
            customer: CustomerInfo(externalId: user), messageId: event.client_msg_id ?? ts, text: text,
            sentAt: Date(timeIntervalSince1970: seconds), attributes: attributes)
    }
}
