import Foundation
import SwitchboardCore

/// A Zendesk event-subscription webhook body, as Zendesk's "Ticket events" reference documents it:
///
/// ```json
/// {"type": "zen:event-type:ticket.comment_added", "id": "2b24ef10-…", "time": "2025-01-14T19:31:42.692Z",
///  "subject": "zen:ticket:35436",
///  "detail": {"id": "35436", "requester_id": "20978392", "description": "…", "priority": "LOW",
///             "tags": ["enterprise"], "via": {"channel": "web"}, "created_at": "…"},
///  "event": {"comment": {"id": "…", "body": "…", "is_public": true,
///                        "author": {"id": "20978392", "is_staff": false, "name": "Jane"}}}}
/// ```
///
/// The `detail` object is the ticket; it names the requester only by id (no email), so these
/// customers are known by their Zendesk user id.
struct ZendeskEvent: Decodable {
    static let prefix = "zen:event-type:"
    static let created = "ticket.created"
    static let commentAdded = "ticket.comment_added"

    var type: String?
    var id: String?
    var time: String?
    var detail: Detail?
    var event: Event?

    struct Detail: Decodable {
        var id: LooseString?
        var requester_id: LooseString?
        var description: String?
        var priority: String?
        var tags: [String]?
        var via: Via?
        var created_at: String?
    }

    struct Via: Decodable {
        var channel: String?
    }

    struct Event: Decodable {
        var comment: Comment?
    }

    struct Comment: Decodable {
        var id: LooseString?
        var body: String?
        var is_public: Bool?
        var author: Author?
    }

    struct Author: Decodable {
        var id: LooseString?
        var is_staff: Bool?
        var name: String?
    }

    /// `ticket.created` from `zen:event-type:ticket.created`.
    static func shortType(_ type: String) -> String {
        type.hasPrefix(prefix) ? String(type.dropFirst(prefix.count)) : type
    }

    /// Ignored unless a ticket was created or a customer commented publicly; otherwise keyed by the event id.
    static func outcome(type: String, body: [UInt8]) throws(PayloadError) -> ConnectorOutcome {
        let short = shortType(type)
        guard short == created || short == commentAdded else { return .ignored(type: short) }
        let event = try JSONPayload.decode(ZendeskEvent.self, from: body)
        if short == commentAdded, let ignored = event.ignoredComment() { return .ignored(type: ignored) }
        _ = try event.message(source: "", receivedAt: Date())
        return .event(key: try JSONPayload.required(event.id, "id"))
    }

    /// Why a comment is not the customer's: an internal note, or written by staff.
    func ignoredComment() -> String? {
        guard let comment = event?.comment else { return nil }
        if comment.is_public == false { return "\(Self.commentAdded).private" }
        if comment.author?.is_staff == true { return "\(Self.commentAdded).staff" }
        return nil
    }

    func message(source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        guard let detail else { throw .missingField("detail") }
        guard let ticket = detail.id?.nonEmpty else { throw .missingField("detail.id") }
        let requester = detail.requester_id?.nonEmpty
        guard let requester else { throw .missingField("detail.requester_id") }
        let description = detail.description.map(HTMLText.plain).nonBlank
        let text: String
        let messageId: String
        var name: String?
        var sentAt = Timestamp.parse(detail.created_at ?? "") ?? receivedAt
        if Self.shortType(type ?? "") == Self.commentAdded {
            guard let comment = event?.comment else { throw .missingField("event.comment") }
            guard let body = comment.body.map(HTMLText.plain).nonBlank else {
                throw .missingField("event.comment.body")
            }
            text = body
            // The first comment is the description ticket.created already carried: one message.
            if body == description {
                messageId = "description"
            } else {
                messageId = try JSONPayload.required(comment.id?.nonEmpty, "event.comment.id")
            }
            if comment.author?.id?.nonEmpty == requester { name = comment.author?.name.nonBlank }
            sentAt = Timestamp.parse(time ?? "") ?? receivedAt
        } else {
            guard let description else { throw .missingField("detail.description") }
            text = description
            messageId = "description"
        }
        return InboundMessage(
            source: source, conversationId: ticket, channel: ZendeskConnector.channel(via: detail.via?.channel),
            customer: CustomerInfo(externalId: requester, name: name), messageId: messageId, text: text, sentAt: sentAt,
            attributes: ZendeskConnector.attributes(
                priority: detail.priority, tags: detail.tags ?? [], via: detail.via?.channel))
    }
}
