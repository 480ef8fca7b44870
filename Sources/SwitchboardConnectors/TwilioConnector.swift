import Foundation
import SwitchboardCore

/// Twilio Conversations post-event webhooks (kind `twilio`).
///
/// - Signature: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed with the account's auth token,
///   of the public URL Twilio posted to followed by every POST parameter sorted by name, each as
///   name then value (see ``TwilioConnector/verify(_:)``). JSON bodies are signed the
///   `bodySHA256` way: over the URL with its query, whose `bodySHA256` is the hex SHA-256 of the body.
/// - No handshake, no signed timestamp (Twilio signs none).
/// - `onMessageAdded` is a message: `ConversationSid` is the conversation, `Author` the customer,
///   `Body` the text, `MessageSid` the message id and the idempotency key. Other event types, the
///   `system` author's messages and messages with media but no text are acknowledged and ignored.
/// - Channel: `whatsapp` for a `whatsapp:` author or `Source=WHATSAPP`, `sms` for `Source=SMS` or
///   an author that is a phone number, `chat` otherwise (an SDK or API participant).
public struct TwilioConnector: Connector {
    let authToken: [UInt8]

    /// - Parameter authToken: the account's auth token (the source's `secret`).
    public init(authToken: String) {
        self.authToken = Array(authToken.utf8)
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try verify(request)
        let parameters = try ConnectorRejection.reading { () throws(PayloadError) in
            try Self.parameters(of: request.body)
        }
        let type = try ConnectorRejection.reading { () throws(PayloadError) in
            try JSONPayload.required(parameters["EventType"], "EventType")
        }
        guard type == "onMessageAdded" else { return .ignored(type: type) }
        if parameters["Author"] == "system" { return .ignored(type: "onMessageAdded.system") }
        if (parameters["Body"] ?? "").isBlank, !(parameters["Media"] ?? "").isBlank {
            return .ignored(type: "onMessageAdded.media")
        }
        let message = try ConnectorRejection.reading { () throws(PayloadError) in
            try Self.message(from: parameters, source: "", receivedAt: request.receivedAt)
        }
        return .event(key: message.messageId)
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        try Self.message(from: Self.parameters(of: body), source: source, receivedAt: receivedAt)
    }

    /// The event's parameters: a form body, or for the `bodySHA256` variant a JSON object whose
    /// string, number and boolean members are read as text.
    static func parameters(of body: [UInt8]) throws(PayloadError) -> FormBody {
        let first = body.first { !Self.whitespace.contains($0) }
        guard first == UInt8(ascii: "{") else { return try FormBody(parsing: body) }
        let object = try JSONPayload.decode([String: Scalar].self, from: body)
        return FormBody(
            pairs: object.sorted { $0.key < $1.key }.compactMap { key, scalar in scalar.text.map { (key, $0) } })
    }

    private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]

    static func message(from parameters: FormBody, source: String, receivedAt: Date) throws(PayloadError)
        -> InboundMessage
    {
        let conversation = try JSONPayload.required(parameters["ConversationSid"], "ConversationSid")
        let messageSid = try JSONPayload.required(parameters["MessageSid"], "MessageSid")
        let author = try JSONPayload.required(parameters["Author"], "Author")
        guard let text = parameters["Body"], !text.isBlank else { throw .missingField("Body") }
        var sentAt = receivedAt
        if let stamp = parameters["DateCreated"], !stamp.isBlank {
            guard let parsed = Timestamp.parse(stamp) else {
                throw .invalidField("DateCreated", "\"\(stamp)\" is not an ISO 8601 date-time")
            }
            sentAt = parsed
        }
        let (customer, channel) = Self.customer(author: author, source: parameters["Source"])
        var attributes: [String: Value] = [:]
        if let origin = parameters["Source"], !origin.isBlank { attributes["twilio_source"] = .string(origin) }
        if let service = parameters["ChatServiceSid"], !service.isBlank {
            attributes["twilio_service"] = .string(service)
        }
        return InboundMessage(
            source: source, conversationId: conversation, channel: channel, customer: customer, messageId: messageSid,
            text: text, sentAt: sentAt, attributes: attributes)
    }

    /// The customer an `Author` names, and the channel it wrote on: a phone number (bare or
    /// `whatsapp:`-prefixed) in E.164 is a phone identity; anything else is the participant's
    /// identity at Twilio, and also an email identity when it is an address.
    static func customer(author: String, source: String?) -> (CustomerInfo, String) {
        var address = author
        var channel: String?
        if author.lowercased().hasPrefix("whatsapp:") {
            address = String(author.dropFirst("whatsapp:".count))
            channel = "whatsapp"
        }
        switch source?.lowercased() {
        case "whatsapp": channel = channel ?? "whatsapp"
        case "sms": channel = channel ?? "sms"
        default: break
        }
        if let phone = Identity.phone(address) {
            return (CustomerInfo(phone: phone.value), channel ?? "sms")
        }
        let email = EmailAddress.isAddress(author) ? author : nil
        return (CustomerInfo(externalId: author, email: email), channel ?? "chat")
    }

    /// A JSON member read as the text a form would carry; objects, lists and null are left out.
    struct Scalar: Decodable {
        var text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let flag = try? container.decode(Bool.self) {
                text = flag ? "true" : "false"
            } else if let number = try? container.decode(Double.self) {
                text = number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            } else {
                text = nil
            }
        }
    }
}
