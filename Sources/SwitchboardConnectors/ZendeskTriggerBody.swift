import Foundation
import SwitchboardCore

/// The JSON body an admin gives a Zendesk webhook connected to a trigger or automation, written
/// with Zendesk placeholders (the template to paste is in docs/connectors.md):
///
/// ```json
/// {"ticket": {"id": "{{ticket.id}}", "updated_at": "{{ticket.updated_at_with_timestamp}}",
///             "priority": "{{ticket.priority}}", "tags": "{{ticket.tags}}", "via": "{{ticket.via}}",
///             "description": "{{ticket.description}}",
///             "requester": {"id": "{{ticket.requester.id}}", "name": "{{ticket.requester.name}}",
///                           "email": "{{ticket.requester.email}}", "phone": "{{ticket.requester.phone}}"},
///             "latest_comment": {"id": "{{ticket.latest_public_comment.id}}", "body": "{{ticket.latest_public_comment}}"}},
///  "current_user": {"role": "{{current_user.role}}"}}
/// ```
///
/// Placeholders render as strings, so ids may be strings or numbers, `tags` a space-separated
/// string or a list, and an empty string means absent. An update made by an agent or admin
/// (`current_user.role`) is not the customer's message and is ignored.
struct ZendeskTriggerBody: Decodable {
    static let agentUpdate = "ticket.agent_update"

    var ticket: Ticket?
    var current_user: CurrentUser?

    struct Ticket: Decodable {
        var id: LooseString?
        var updated_at: String?
        var priority: String?
        var tags: Tags?
        var via: String?
        var description: String?
        var requester: Requester?
        var latest_comment: Comment?
    }

    struct Requester: Decodable {
        var id: LooseString?
        var name: String?
        var email: String?
        var phone: String?
    }

    struct Comment: Decodable {
        var id: LooseString?
        var body: String?
    }

    struct CurrentUser: Decodable {
        var role: String?
    }

    /// `"vip billing"` (what `{{ticket.tags}}` renders) or `["vip", "billing"]`.
    struct Tags: Decodable {
        var values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                values = list
            } else {
                values = try container.decode(String.self).split(whereSeparator: \.isWhitespace).map(String.init)
            }
        }
    }

    /// Keyed by ticket and latest comment (or the update time); ignored when staff made the update.
    static func outcome(body: [UInt8]) throws(PayloadError) -> ConnectorOutcome {
        let trigger = try JSONPayload.decode(ZendeskTriggerBody.self, from: body)
        if let role = trigger.current_user?.role?.lowercased(), role.contains("agent") || role.contains("admin") {
            return .ignored(type: agentUpdate)
        }
        let message = try trigger.message(source: "", receivedAt: Date())
        return .event(key: "ticket:\(message.conversationId):\(message.messageId)")
    }

    func message(source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        guard let ticket else { throw .missingField("ticket") }
        guard let id = ticket.id?.nonEmpty else { throw .missingField("ticket.id") }
        let comment = ticket.latest_comment?.body.map(HTMLText.plain).nonBlank
        let description = ticket.description.map(HTMLText.plain).nonBlank
        guard let text = comment ?? description else {
            throw .missingField("ticket.latest_comment.body (or ticket.description)")
        }
        let messageId: String
        if comment != nil, let commentId = ticket.latest_comment?.id?.nonEmpty {
            messageId = "comment-\(commentId)"
        } else if let updated = ticket.updated_at.nonBlank {
            messageId = "updated-\(updated)"
        } else {
            throw .missingField("ticket.latest_comment.id (or ticket.updated_at)")
        }
        let requester = ticket.requester
        let email = requester?.email.nonBlank.flatMap { Identity.email($0) == nil ? nil : $0 }
        let phone = requester?.phone.nonBlank.flatMap { Identity.phone($0) == nil ? nil : $0 }
        let customer = CustomerInfo(
            externalId: requester?.id?.nonEmpty, name: requester?.name.nonBlank, email: email, phone: phone)
        guard customer.externalId != nil || email != nil else {
            throw .missingField("ticket.requester.id (or ticket.requester.email)")
        }
        return InboundMessage(
            source: source, conversationId: id, channel: ZendeskConnector.channel(via: ticket.via), customer: customer,
            messageId: messageId, text: text, sentAt: Timestamp.parse(ticket.updated_at ?? "") ?? receivedAt,
            attributes: ZendeskConnector.attributes(
                priority: ticket.priority, tags: ticket.tags?.values ?? [], via: ticket.via))
    }
}
