import Foundation
import SwitchboardCore

/// Intercom webhooks (kind `intercom`).
///
/// - Signature: `X-Hub-Signature` is `sha1=` and the hex HMAC-SHA1, keyed with the app's client
///   secret, of the raw body. Intercom signs no timestamp; the notification id stops replays.
/// - The body is a `notification_event` (``IntercomNotification``). The `ping` Intercom sends when
///   a webhook is saved is answered 200 and stores nothing. `conversation.user.created` and
///   `conversation.user.replied` are messages, deduplicated by the notification `id`; every other
///   topic is acknowledged and ignored.
public struct IntercomConnector: Connector {
    static let ping = "ping"
    static let created = "conversation.user.created"
    static let replied = "conversation.user.replied"

    let clientSecret: [UInt8]

    public init(clientSecret: String) {
        self.clientSecret = Array(clientSecret.utf8)
    }

    /// Checks the signature.
    public func verify(_ request: ConnectorRequest) throws(ConnectorRejection) {
        try Signature.check(
            request.header("x-hub-signature"), header: "X-Hub-Signature",
            expected: Signature.hmacSHA1(key: clientSecret, [request.body]), encoding: .hex(prefix: "sha1="))
    }

    /// The part of the envelope read before knowing the topic: items of other topics have other shapes.
    struct Envelope: Decodable {
        var id: String?
        var topic: String?
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try verify(request)
        return try ConnectorRejection.reading { () throws(PayloadError) in
            let envelope = try JSONPayload.decode(Envelope.self, from: request.body)
            let topic = try JSONPayload.required(envelope.topic, "topic")
            if topic == Self.ping { return .handshake(.json(["status": "ok"])) }
            guard topic == Self.created || topic == Self.replied else { return .ignored(type: topic) }
            let notification = try JSONPayload.decode(IntercomNotification.self, from: request.body)
            if topic == Self.replied, try notification.latestCustomerPart() == nil {
                return .ignored(type: "\(topic).no_customer_part")
            }
            _ = try notification.message(source: "", receivedAt: request.receivedAt)
            return .event(key: try JSONPayload.required(envelope.id, "id"))
        }
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        try JSONPayload.decode(IntercomNotification.self, from: body).message(source: source, receivedAt: receivedAt)
    }
}
