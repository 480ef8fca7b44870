import Foundation
import SwitchboardCore

/// Inbound email posted as JSON with Postmark's inbound webhook fields (kind `email`).
///
/// - Authentication: HTTP basic auth (`username`, `password`) or a secret path token
///   (`/v1/inbound/{name}/{token}`), whichever is configured; see ``EmailConnector/authenticate(_:)``.
/// - No handshake, no event types: every post is an email.
/// - Threading: the conversation is the thread's root Message-ID (the first id in `References`,
///   else `In-Reply-To`, else the email's own `Message-ID`; ids without `<>` and whitespace) for this
///   sender, so a reply joins the conversation its sender's thread started (``SenderPolicy``).
/// - Customer: `FromFull.Email` (else `From`) and `FromFull.Name` (else `FromName`), when the
///   `Authentication-Results` or `Received-SPF` of `Headers` verify it (``SenderPolicy``).
/// - Text: `StrippedTextReply`, else `TextBody`, else `HtmlBody` without its tags. Attribute `subject`.
/// - Deduplicated by Postmark's `MessageID`.
public struct EmailConnector: Connector {
    let username: String?
    let password: String?
    let token: String?
    let senders: SenderPolicy

    /// Accepts basic auth with `username` and `password` when both are given, and the path `token` when given.
    public init(username: String?, password: String?, token: String?, senders: SenderPolicy = SenderPolicy()) {
        self.username = username
        self.password = password
        self.token = token
        self.senders = senders
    }

    /// The fields of Postmark's inbound JSON that Switchboard reads.
    struct Payload: Decodable {
        var from: String?
        var fromName: String?
        var fromFull: Address?
        var subject: String?
        var messageID: String?
        var date: String?
        var textBody: String?
        var htmlBody: String?
        var strippedTextReply: String?
        var headers: [Header]?

        enum CodingKeys: String, CodingKey {
            case from = "From"
            case fromName = "FromName"
            case fromFull = "FromFull"
            case subject = "Subject"
            case messageID = "MessageID"
            case date = "Date"
            case textBody = "TextBody"
            case htmlBody = "HtmlBody"
            case strippedTextReply = "StrippedTextReply"
            case headers = "Headers"
        }

        /// The first header named `name`, compared case-insensitively.
        func header(_ name: String) -> String? {
            self.headers(name).first
        }

        /// Every header named `name`, in order (topmost first), compared case-insensitively.
        func headers(_ name: String) -> [String] {
            (headers ?? []).compactMap { $0.name?.caseInsensitiveCompare(name) == .orderedSame ? $0.value : nil }
        }
    }

    struct Address: Decodable {
        var email: String?
        var name: String?

        enum CodingKeys: String, CodingKey {
            case email = "Email"
            case name = "Name"
        }
    }

    struct Header: Decodable {
        var name: String?
        var value: String?

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case value = "Value"
        }
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try authenticate(request)
        let key = try ConnectorRejection.reading { () throws(PayloadError) in
            let payload = try JSONPayload.decode(Payload.self, from: request.body)
            _ = try message(from: payload, source: "", receivedAt: request.receivedAt)
            return try JSONPayload.required(payload.messageID, "MessageID")
        }
        return .event(key: key)
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        try message(from: JSONPayload.decode(Payload.self, from: body), source: source, receivedAt: receivedAt)
    }

    func message(from payload: Payload, source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage
    {
        let messageId = try JSONPayload.required(payload.messageID, "MessageID")
        let email = try JSONPayload.required(payload.fromFull?.email ?? payload.from, "FromFull.Email")
        guard EmailAddress.isAddress(email) else {
            throw .invalidField("FromFull.Email", "\"\(email)\" is not an email address")
        }
        let name = [payload.fromFull?.name, payload.fromName].compactMap { $0 }.first { !$0.isBlank }
        let text = try Self.text(of: payload)
        let root =
            MessageIDs.first(in: payload.header("References")) ?? MessageIDs.first(in: payload.header("In-Reply-To"))
            ?? MessageIDs.first(in: payload.header("Message-ID")) ?? messageId
        let sender = senders.sender(
            address: email, name: name, threadRoot: root, authenticationResults: payload.headers("Authentication-Results"),
            receivedSPF: payload.headers("Received-SPF"))
        let sentAt = (payload.date ?? payload.header("Date")).flatMap(MailDate.parse) ?? receivedAt
        var attributes: [String: Value] = [:]
        if let subject = payload.subject, !subject.isBlank { attributes["subject"] = .string(subject) }
        if let verdict = sender.verdict { attributes["sender"] = .string(verdict) }
        return InboundMessage(
            source: source, conversationId: sender.conversationId, channel: "email", customer: sender.customer,
            messageId: messageId, text: text, sentAt: sentAt, attributes: attributes)
    }

    /// The reply without the quoted thread when Postmark found it, else the text part, else the HTML part as text.
    static func text(of payload: Payload) throws(PayloadError) -> String {
        if let reply = payload.strippedTextReply, !reply.isBlank { return reply }
        if let text = payload.textBody, !text.isBlank { return text }
        if let html = payload.htmlBody.map(HTMLText.plain), !html.isBlank { return html }
        throw .missingField("TextBody")
    }
}
