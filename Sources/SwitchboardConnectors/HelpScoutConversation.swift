import Foundation
import SwitchboardCore

/// A Help Scout webhook body for a conversation event: the Mailbox API 2.0 conversation object
/// (what "Get Conversation" returns with `embed=threads`), with the legacy v1 names read too:
///
/// ```json
/// {"id": 123, "type": "email", "mailboxId": 13, "source": {"type": "email", "via": "customer"},
///  "tags": [{"id": 9150, "tag": "vip"}],
///  "primaryCustomer": {"id": 238604, "first": "Rob", "last": "Robertovic", "email": "rob@acme.com"},
///  "_embedded": {"threads": [{"id": 1234, "type": "customer", "body": "…", "createdAt": "2015-06-05T20:18:33Z",
///                             "customer": {"id": 238604, "first": "Rob", "email": "rob@acme.com"}}]}}
/// ```
///
/// v1 bodies have `customer` instead of `primaryCustomer`, `threads` instead of `_embedded.threads`,
/// `firstName`/`lastName`, and tags as strings.
struct HelpScoutConversation: Decodable {
    var id: LooseString?
    var type: String?
    var mailboxId: LooseString?
    var source: Source?
    var tags: [Tag]?
    var primaryCustomer: Person?
    var customer: Person?
    var _embedded: Embedded?
    /// v1: the threads; v2: their count.
    var threads: ThreadsOrCount?

    struct Source: Decodable {
        var type: String?
        var via: String?
    }

    /// `threads` is the list of threads in v1 bodies and a number (how many) in v2 bodies.
    struct ThreadsOrCount: Decodable {
        var list: [Thread]?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if (try? container.decode(Double.self)) != nil {
                list = nil
            } else {
                list = try container.decode([Thread].self)
            }
        }
    }

    struct Embedded: Decodable {
        var threads: [Thread]?
    }

    struct Thread: Decodable {
        var id: LooseString?
        var type: String?
        var body: String?
        var createdAt: String?
        var customer: Person?
        var createdBy: Person?
    }

    struct Person: Decodable {
        var id: LooseString?
        var type: String?
        var first: String?
        var last: String?
        var firstName: String?
        var lastName: String?
        var email: String?

        var name: String? {
            let parts = [first ?? firstName, last ?? lastName].compactMap(\.nonBlank)
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        }
    }

    /// `{"id": 9150, "tag": "vip"}` (v2) or `"vip"` (v1).
    struct Tag: Decodable {
        var name: String?

        private enum Keys: String, CodingKey { case tag, name }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                name = text
            } else {
                let container = try decoder.container(keyedBy: Keys.self)
                name =
                    try container.decodeIfPresent(String.self, forKey: .tag)
                    ?? container.decodeIfPresent(String.self, forKey: .name)
            }
        }
    }

    /// Where the threads are, for error messages.
    var threadsPath: String { _embedded?.threads == nil && threads?.list != nil ? "threads" : "_embedded.threads" }

    /// The newest thread the customer wrote; nil when every thread is someone else's (a conversation
    /// an agent started). Throws when the body has no threads at all.
    func latestCustomerThread() throws(PayloadError) -> (index: Int, thread: Thread)? {
        guard let all = _embedded?.threads ?? threads?.list else { throw .missingField("_embedded.threads") }
        let customer = all.enumerated().filter {
            $0.element.type == "customer" || $0.element.createdBy?.type == "customer"
        }
        // Help Scout lists threads newest first; the dates decide when they are there.
        let dated = customer.compactMap { pair in Timestamp.parse(pair.element.createdAt ?? "").map { (pair, $0) } }
        if dated.count == customer.count, let newest = dated.max(by: { $0.1 < $1.1 }) {
            return (newest.0.offset, newest.0.element)
        }
        return customer.first.map { ($0.offset, $0.element) }
    }

    func message(thread pick: (index: Int, thread: Thread), source: String, receivedAt: Date) throws(PayloadError)
        -> InboundMessage
    {
        guard let conversationId = id?.nonEmpty else { throw .missingField("id") }
        let path = "\(threadsPath).\(pick.index)"
        let thread = pick.thread
        guard let threadId = thread.id?.nonEmpty else { throw .missingField("\(path).id") }
        guard let text = thread.body.map(HTMLText.plain).nonBlank else { throw .missingField("\(path).body") }
        let person = thread.customer ?? primaryCustomer ?? customer ?? thread.createdBy
        guard let person else { throw .missingField("primaryCustomer") }
        let email = person.email.nonBlank.flatMap { Identity.email($0) == nil ? nil : $0 }
        let info = CustomerInfo(externalId: person.id?.nonEmpty, name: person.name, email: email)
        guard info.externalId != nil || email != nil else {
            throw .missingField("primaryCustomer.id (or primaryCustomer.email)")
        }
        var attributes: [String: Value] = ["tags": .list((tags ?? []).compactMap(\.name).map(Value.string))]
        if let type = type.nonBlank { attributes["helpscout_type"] = .string(type) }
        if let kind = self.source?.type.nonBlank { attributes["helpscout_source"] = .string(kind) }
        if let mailbox = mailboxId?.nonEmpty { attributes["helpscout_mailbox"] = .string(mailbox) }
        return InboundMessage(
            source: source, conversationId: conversationId, channel: channel, customer: info, messageId: threadId,
            text: text, sentAt: Timestamp.parse(thread.createdAt ?? "") ?? receivedAt, attributes: attributes)
    }

    /// `chat` for chat conversations and Beacon chats, `email` for email and phone conversations.
    var channel: String {
        let kinds = [type, source?.type].compactMap { $0?.lowercased() }
        return kinds.contains("chat") || kinds.contains("beacon") ? "chat" : "email"
    }
}
