import Foundation
import SwitchboardCore

/// Front application webhooks (kind `front`).
///
/// - Signature: `X-Front-Signature` is the base64 HMAC-SHA256, keyed with the app's secret, of
///   `{X-Front-Request-Timestamp}:{raw body}`; the timestamp (milliseconds) must be within the tolerance.
/// - The validation request (an `X-Front-Challenge` header, body `{"type": "sync", ...}`) is
///   answered with `{"challenge": ...}` once its signature checks.
/// - The envelope is `{type, authorization: {id}, payload}`, the payload an event preview.
///   `inbound_received` is a message: the conversation's id, the sender (`recipients` entry with
///   role `from`) as the customer, the message's `text` (else its `body` without HTML, else its
///   `blurb`). Deduplicated by the event id (`payload.id`). Other types are acknowledged and ignored.
public struct FrontConnector: Connector {
    let appSecret: [UInt8]
    let tolerance: Duration

    public init(appSecret: String, tolerance: Duration = .seconds(300)) {
        self.appSecret = Array(appSecret.utf8)
        self.tolerance = tolerance
    }

    struct Envelope: Decodable {
        var type: String?
        var payload: Event?
    }

    struct Event: Decodable {
        var id: String?
        var type: String?
        var emitted_at: Double?
        var conversation: Conversation?
        var target: Target?
    }

    struct Conversation: Decodable {
        var id: String?
        var subject: String?
        var recipient: Recipient?
    }

    struct Target: Decodable {
        var data: Message?
    }

    struct Message: Decodable {
        var id: String?
        var type: String?
        var is_inbound: Bool?
        var created_at: Double?
        var blurb: String?
        var body: String?
        var text: String?
        var recipients: [Recipient]?
    }

    struct Recipient: Decodable {
        var handle: String?
        var role: String?
        var name: String?
    }

    /// Checks the timestamp and the signature.
    public func verify(_ request: ConnectorRequest) throws(ConnectorRejection) {
        let timestamp = request.header("x-front-request-timestamp")
        try Signature.checkTimestamp(
            timestamp, header: "X-Front-Request-Timestamp", now: request.receivedAt, tolerance: tolerance)
        let expected = Signature.hmacSHA256(key: appSecret, [Array("\(timestamp ?? ""):".utf8), request.body])
        try Signature.check(
            request.header("x-front-signature"), header: "X-Front-Signature", expected: expected, encoding: .base64)
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try verify(request)
        if let challenge = request.header("x-front-challenge"), !challenge.isEmpty {
            return .handshake(.json(["challenge": challenge]))
        }
        let envelope = try ConnectorRejection.reading { () throws(PayloadError) in
            try JSONPayload.decode(Envelope.self, from: request.body)
        }
        let type = try ConnectorRejection.reading { () throws(PayloadError) in
            try JSONPayload.required(envelope.type, "type")
        }
        guard type == "inbound_received" else { return .ignored(type: type) }
        let key = try ConnectorRejection.reading { () throws(PayloadError) in
            _ = try Self.message(from: envelope, source: "", receivedAt: request.receivedAt)
            return try JSONPayload.required(envelope.payload?.id, "payload.id")
        }
        return .event(key: key)
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        try Self.message(from: JSONPayload.decode(Envelope.self, from: body), source: source, receivedAt: receivedAt)
    }

    static func message(from envelope: Envelope, source: String, receivedAt: Date) throws(PayloadError)
        -> InboundMessage
    {
        guard let event = envelope.payload else { throw .missingField("payload") }
        let conversationId = try JSONPayload.required(event.conversation?.id, "payload.conversation.id")
        guard let message = event.target?.data else { throw .missingField("payload.target.data") }
        let messageId = try JSONPayload.required(message.id, "payload.target.data.id")
        let sender = message.recipients?.first { $0.role == "from" } ?? event.conversation?.recipient
        let handle = try JSONPayload.required(sender?.handle, "payload.target.data.recipients.from.handle")
        let text = try Self.text(of: message)
        var attributes: [String: Value] = [:]
        if let subject = event.conversation?.subject, !subject.isBlank { attributes["subject"] = .string(subject) }
        if let type = message.type { attributes["front_message_type"] = .string(type) }
        let sentAt = (message.created_at ?? event.emitted_at).map { Date(timeIntervalSince1970: $0) } ?? receivedAt
        return InboundMessage(
            source: source, conversationId: conversationId, channel: Self.channel(of: message.type),
            customer: Self.customer(handle: handle, name: sender?.name), messageId: messageId, text: text,
            sentAt: sentAt,
            attributes: attributes)
    }

    /// The message's `text`, else its HTML `body` as text, else its `blurb` (an event preview may
    /// carry only the blurb).
    static func text(of message: Message) throws(PayloadError) -> String {
        if let text = message.text, !text.isBlank { return text }
        if let body = message.body.map(HTMLText.plain), !body.isBlank { return body }
        if let blurb = message.blurb, !blurb.isBlank { return blurb }
        throw .missingField("payload.target.data.text")
    }

    /// A handle is an email address, a phone number, or a platform handle kept as the customer's id at Front.
    static func customer(handle: String, name: String?) -> CustomerInfo {
        let name = name.flatMap { $0.isBlank ? nil : $0 }
        if EmailAddress.isAddress(handle) { return CustomerInfo(name: name, email: handle) }
        if let phone = Identity.phone(handle) { return CustomerInfo(name: name, phone: phone.value) }
        return CustomerInfo(externalId: handle, name: name)
    }

    /// `email`, `sms` and `whatsapp` messages keep their channel; every other kind is a chat.
    static func channel(of type: String?) -> String {
        switch type {
        case "email": "email"
        case "sms": "sms"
        case "whatsapp": "whatsapp"
        default: "chat"
        }
    }
}
