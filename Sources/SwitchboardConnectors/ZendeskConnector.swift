import Foundation
import SwitchboardCore

/// Zendesk webhooks (kind `zendesk`).
///
/// - Signature: `X-Zendesk-Webhook-Signature` is the base64 HMAC-SHA256, keyed with the webhook's
///   signing secret, of `X-Zendesk-Webhook-Signature-Timestamp` followed by the raw body with no
///   separator; the timestamp (RFC 3339, `2021-03-25T05:09:27Z`) must be within the tolerance.
/// - Two body formats, told apart by their top-level keys:
///   - an event subscription (``ZendeskEvent``, `"type": "zen:event-type:…"`): `ticket.created` and
///     public `ticket.comment_added` by a non-staff author are messages, deduplicated by the event `id`;
///     every other event type is acknowledged and ignored;
///   - a trigger or automation body (``ZendeskTriggerBody``, a `ticket` object written with
///     placeholders, the template in docs/connectors.md): deduplicated by ticket id and latest
///     comment id (or `updated_at`). It is the format that carries the requester's email.
/// - Zendesk has no handshake: its "Test webhook" button sends whatever body the admin types, signed.
public struct ZendeskConnector: Connector {
    let signingSecret: [UInt8]
    let tolerance: Duration

    public init(signingSecret: String, tolerance: Duration = .seconds(300)) {
        self.signingSecret = Array(signingSecret.utf8)
        self.tolerance = tolerance
    }

    /// Checks the timestamp and the signature.
    public func verify(_ request: ConnectorRequest) throws(ConnectorRejection) {
        let timestamp = request.header("x-zendesk-webhook-signature-timestamp")
        try Signature.checkRFC3339Timestamp(
            timestamp, header: "X-Zendesk-Webhook-Signature-Timestamp", now: request.receivedAt, tolerance: tolerance)
        let expected = Signature.hmacSHA256(key: signingSecret, [Array((timestamp ?? "").utf8), request.body])
        try Signature.check(
            request.header("x-zendesk-webhook-signature"), header: "X-Zendesk-Webhook-Signature", expected: expected,
            encoding: .base64)
    }

    /// The keys that tell the two formats apart.
    struct Shape: Decodable {
        var type: String?
        var ticket: JSONPresence?
    }

    /// Decodes anything: only whether the key is there matters.
    struct JSONPresence: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try verify(request)
        return try ConnectorRejection.reading { () throws(PayloadError) in
            let shape = try JSONPayload.decode(Shape.self, from: request.body)
            if let type = shape.type {
                return try ZendeskEvent.outcome(type: type, body: request.body)
            }
            guard shape.ticket != nil else { throw .missingField("type (or ticket)") }
            return try ZendeskTriggerBody.outcome(body: request.body)
        }
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        let shape = try JSONPayload.decode(Shape.self, from: body)
        if shape.type != nil {
            return try JSONPayload.decode(ZendeskEvent.self, from: body).message(source: source, receivedAt: receivedAt)
        }
        return try JSONPayload.decode(ZendeskTriggerBody.self, from: body).message(
            source: source, receivedAt: receivedAt)
    }

    /// Switchboard's channel for a Zendesk `via` channel: `chat` for chat and messaging channels,
    /// `email` for everything else (email, web form, API, voice…), the ticket queue.
    static func channel(via: String?) -> String {
        let via = via?.lowercased() ?? ""
        return via.contains("chat") || via.contains("messaging") ? "chat" : "email"
    }

    /// The ticket attributes routing tables read: `priority` (lower-cased), `tags` (a list) and `via_channel`.
    static func attributes(priority: String?, tags: [String], via: String?) -> [String: Value] {
        var attributes: [String: Value] = ["tags": .list(tags.map(Value.string))]
        if let priority = priority.nonBlank { attributes["priority"] = .string(priority.lowercased()) }
        if let via = via.nonBlank { attributes["via_channel"] = .string(via) }
        return attributes
    }
}
