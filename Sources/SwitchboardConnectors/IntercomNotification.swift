import Foundation
import SwitchboardCore

/// An Intercom webhook notification for a conversation topic, with the conversation as REST API
/// 2.x models it:
///
/// ```json
/// {"type": "notification_event", "id": "notif_78c122d0-…", "topic": "conversation.user.replied",
///  "created_at": 1539897200,
///  "data": {"type": "notification_event_data", "item": {
///    "type": "conversation", "id": "1911149811", "created_at": 1539897198,
///    "source": {"type": "conversation", "id": "269650473", "delivered_as": "customer_initiated",
///               "body": "<p>Hi</p>", "author": {"type": "user", "id": "5bc8…", "name": "Jo", "email": "jo@x.com"}},
///    "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "5bc8…"}]},
///    "conversation_parts": {"type": "conversation_part.list", "conversation_parts": [
///      {"type": "conversation_part", "id": "2202737122", "part_type": "comment", "body": "<p>…</p>",
///       "created_at": 1539897200, "author": {"type": "user", "id": "5bc8…", "name": "Jo", "email": "jo@x.com"}}]},
///    "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": "1", "name": "vip"}]}}}}
/// ```
///
/// `conversation.user.created`: the message is `source.body`. `conversation.user.replied`: the
/// newest part a contact wrote. Bodies may be HTML (plain text from API version 2.15).
struct IntercomNotification: Decodable {
    /// Author types that are the customer; admins, bots and teams are not.
    static let contactTypes: Set<String> = ["user", "lead", "contact"]

    var topic: String?
    var data: Payload?

    struct Payload: Decodable {
        var item: Conversation?
    }

    struct Conversation: Decodable {
        var id: LooseString?
        var created_at: Double?
        var source: Source?
        var contacts: Contacts?
        var user: Author?
        var conversation_parts: Parts?
        var tags: Tags?
    }

    struct Source: Decodable {
        var type: String?
        var id: LooseString?
        var body: String?
        var author: Author?
    }

    struct Author: Decodable {
        var type: String?
        var id: LooseString?
        var name: String?
        var email: String?

        var isContact: Bool { IntercomNotification.contactTypes.contains(type ?? "") }
    }

    struct Contacts: Decodable {
        var contacts: [Author]?
    }

    struct Parts: Decodable {
        var conversation_parts: [Part]?
    }

    struct Part: Decodable {
        var id: LooseString?
        var part_type: String?
        var body: String?
        var created_at: Double?
        var author: Author?
    }

    struct Tags: Decodable {
        var tags: [Tag]?
    }

    struct Tag: Decodable {
        var name: String?
    }

    /// The newest part a contact wrote with a body, and where it is; nil when there is none.
    func latestCustomerPart() throws(PayloadError) -> (index: Int, part: Part)? {
        guard let item = data?.item else { throw .missingField("data.item") }
        guard let parts = item.conversation_parts?.conversation_parts else {
            throw .missingField("data.item.conversation_parts.conversation_parts")
        }
        return parts.enumerated().last { $0.element.author?.isContact == true && $0.element.body.nonBlank != nil }
            .map { ($0.offset, $0.element) }
    }

    func message(source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        guard let item = data?.item else { throw .missingField("data.item") }
        guard let conversationId = item.id?.nonEmpty else { throw .missingField("data.item.id") }
        let text: String
        let messageId: String
        var author: Author?
        var sentAt = item.created_at.map(Date.init(timeIntervalSince1970:)) ?? receivedAt
        if topic == IntercomConnector.replied {
            guard let found = try latestCustomerPart() else {
                throw .missingField("data.item.conversation_parts.conversation_parts (a part by the contact)")
            }
            let (index, part) = found
            let path = "data.item.conversation_parts.conversation_parts.\(index)"
            text = try JSONPayload.required(part.body.map(HTMLText.plain), "\(path).body")
            messageId = try JSONPayload.required(part.id?.nonEmpty, "\(path).id")
            author = part.author
            if let created = part.created_at { sentAt = Date(timeIntervalSince1970: created) }
        } else {
            guard let origin = item.source else { throw .missingField("data.item.source") }
            text = try JSONPayload.required(origin.body.map(HTMLText.plain), "data.item.source.body")
            messageId = origin.id?.nonEmpty ?? "source"
            author = origin.author?.isContact == true ? origin.author : nil
        }
        let person = author ?? item.contacts?.contacts?.first ?? item.user
        guard let person else { throw .missingField("data.item.source.author") }
        let email = person.email.nonBlank.flatMap { Identity.email($0) == nil ? nil : $0 }
        let customer = CustomerInfo(externalId: person.id?.nonEmpty, name: person.name.nonBlank, email: email)
        guard customer.externalId != nil || email != nil else { throw .missingField("data.item.source.author.id") }
        var attributes: [String: Value] = [
            "tags": .list((item.tags?.tags ?? []).compactMap(\.name).map(Value.string))
        ]
        let kind = item.source?.type.nonBlank
        if let kind { attributes["intercom_source_type"] = .string(kind) }
        return InboundMessage(
            source: source, conversationId: conversationId, channel: kind == "email" ? "email" : "chat",
            customer: customer, messageId: messageId, text: text, sentAt: sentAt, attributes: attributes)
    }
}
