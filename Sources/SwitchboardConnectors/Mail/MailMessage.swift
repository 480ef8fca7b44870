import Foundation
import SwitchboardCore

/// An email as sent (RFC 5322 with MIME), read into what Switchboard routes on.
///
/// - Text: `text/plain` from `multipart/alternative` (the first plain text part that is not an
///   attachment), else the first HTML part as text; quoted-printable and base64 decoded, the part's
///   charset applied (``MailCharset``), quoted reply history stripped (``QuotedReply``).
/// - Headers: `Subject` and the `From` display name with RFC 2047 encoded words decoded.
/// - Attachments: every other leaf part that is named, marked `attachment` or not text, as
///   `"name (type, N bytes)"` (N decoded).
/// - Threading and sender: as the `email` webhook connector: the conversation is the thread's root
///   (the first id in `References`, else `In-Reply-To`, else the message's own `Message-ID`) for this
///   sender, and `From:` is the customer when the receiving server's `Authentication-Results` or
///   `Received-SPF` verify it (``SenderPolicy``).
public struct MailMessage: Sendable, Equatable {
    /// The normalised `Message-ID` (no `<>`), nil when the message has none.
    public var messageId: String?
    /// The sender's address and display name.
    public var fromEmail: String?
    public var fromName: String?
    /// The decoded `Subject`, nil when absent or blank.
    public var subject: String?
    /// The `Date` header's instant, nil when absent or unreadable.
    public var date: Date?
    /// The thread's root message id (see the type's notes); nil without any ids.
    public var threadRoot: String?
    /// The text without quoted history.
    public var text: String
    /// `"name (type, N bytes)"` for each attachment, in order.
    public var attachments: [String]
    /// The values of the `Authentication-Results` and `Received-SPF` fields, topmost first.
    public var authenticationResults: [String]
    public var receivedSPF: [String]

    /// Parses `raw`, the message as the server stores it (CRLF or LF line ends).
    public init(parsing raw: [UInt8]) {
        let root = MIMEPart(message: raw[...])
        let headers = root.headers
        messageId = MessageIDs.first(in: headers["Message-ID"])
        let from = MailAddress(headers["From"]) ?? MailAddress(headers["Sender"]) ?? MailAddress(headers["Reply-To"])
        fromEmail = from?.email
        fromName = from?.name
        subject = headers.text("Subject").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isBlank ? nil : $0 }
        date = headers["Date"].flatMap(MailDate.parse)
        authenticationResults = headers.all("Authentication-Results")
        receivedSPF = headers.all("Received-SPF")
        threadRoot =
            MessageIDs.first(in: headers["References"]) ?? MessageIDs.first(in: headers["In-Reply-To"]) ?? messageId

        let leaves = root.leaves
        let body =
            leaves.first { !$0.isAttachment && $0.contentType.value == "text/plain" }.map(\.text)
            ?? leaves.first { !$0.isAttachment && $0.contentType.value == "text/html" }.map { HTMLText.plain($0.text) }
            ?? leaves.first { !$0.isAttachment }.map(\.text)
            ?? ""
        text = QuotedReply.strip(body)
        let textLeaf = leaves.firstIndex { !$0.isAttachment && $0.contentType.value == "text/plain" }
            ?? leaves.firstIndex { !$0.isAttachment && $0.contentType.value == "text/html" }
        attachments = leaves.enumerated().compactMap { index, leaf in
            guard leaf.isAttachment, index != textLeaf, leaf.parts.isEmpty else { return nil }
            let name = leaf.fileName ?? "unnamed"
            return "\(name) (\(leaf.contentType.value), \(leaf.decodedBody.count) bytes)"
        }
    }

    /// The message as Switchboard routes it: channel `email`, the sender and conversation as `senders`
    /// decides, attributes `subject`, `sender` (the verdict) and, when any, `attachments`.
    /// - Parameters:
    ///   - fallbackId: The message id to use when the message has no `Message-ID`.
    ///   - receivedAt: The time to use when the message has no readable `Date`.
    /// - Throws: ``PayloadError`` when there is no sender address.
    public func inboundMessage(
        source: String, fallbackId: String, receivedAt: Date, senders: SenderPolicy = SenderPolicy()
    ) throws(PayloadError) -> InboundMessage {
        guard let email = fromEmail else { throw .missingField("From") }
        let id = messageId ?? fallbackId
        let sender = senders.sender(
            address: email, name: fromName, threadRoot: threadRoot ?? id, authenticationResults: authenticationResults,
            receivedSPF: receivedSPF)
        var attributes: [String: Value] = [:]
        if let subject { attributes["subject"] = .string(subject) }
        if let verdict = sender.verdict { attributes["sender"] = .string(verdict) }
        if !attachments.isEmpty { attributes["attachments"] = .list(attachments.map(Value.string)) }
        return InboundMessage(
            source: source, conversationId: sender.conversationId, channel: "email", customer: sender.customer,
            messageId: id,
            text: text.isBlank ? (subject ?? "") : text, sentAt: date ?? receivedAt, attributes: attributes)
    }
}
