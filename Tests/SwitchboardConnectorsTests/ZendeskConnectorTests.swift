import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Zendesk webhooks, from Zendesk's "Verifying webhook authenticity" page and its "Ticket events"
/// webhook reference; the trigger body is the template in docs/connectors.md.
@Suite("Zendesk connector")
struct ZendeskConnectorTests {
    /// The signing secret Zendesk documents for test requests sent before a webhook exists.
    static let secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
    static let connector = ZendeskConnector(signingSecret: secret)

    static func stamp(_ date: Date) -> String { date.formatted(.iso8601) }

    /// Signs a body the documented way: base64 HMAC-SHA256 of the timestamp then the body, no separator.
    static func request(_ body: String, at now: Date = Date(), timestamp: Date? = nil, secret: String = secret)
        -> ConnectorRequest
    {
        let stamp = stamp(timestamp ?? now)
        let mac = Signature.hmacSHA256(key: Array(secret.utf8), [Array(stamp.utf8), Array(body.utf8)])
        return ConnectorRequest(
            headers: [
                "X-Zendesk-Webhook-Signature-Timestamp": stamp, "X-Zendesk-Webhook-Signature": Signature.base64(mac),
            ],
            body: Array(body.utf8), receivedAt: now)
    }

    @Test(
        "Zendesk's published example vector is body-then-timestamp, the order its page stated then; the connector signs timestamp-then-body, as the page states now"
    )
    func publishedExample() throws {
        // developer.zendesk.com/documentation/event-connectors/webhooks/verifying/ (the earlier
        // version of the page): base64(HMACSHA256((BODY)(TIMESTAMP))) with these values.
        let secret = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="
        let body = #"{"say": "hello"}"#
        let timestamp = "2021-07-25T10:00:00Z"
        let published = "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw="
        #expect(
            Signature.base64(Signature.hmacSHA256(key: Array(secret.utf8), [Array(body.utf8), Array(timestamp.utf8)]))
                == published)

        let connector = ZendeskConnector(signingSecret: secret)
        let at = try #require(Timestamp.parse(timestamp)).addingTimeInterval(30)
        let asPublished = ConnectorRequest(
            headers: ["X-Zendesk-Webhook-Signature-Timestamp": timestamp, "X-Zendesk-Webhook-Signature": published],
            body: Array(body.utf8), receivedAt: at)
        #expect(throws: ConnectorRejection.unauthenticated("X-Zendesk-Webhook-Signature does not match the body")) {
            try connector.verify(asPublished)
        }
        // The current page: base64(HMACSHA256(TIMESTAMP + BODY)), the order Zendesk sends.
        try connector.verify(Self.request(body, at: at, timestamp: at.addingTimeInterval(-30), secret: secret))
    }

    /// A `ticket.created` event as the reference and real deliveries show it: ids as strings,
    /// priority and status upper-cased.
    static func created(id: String = "cbe4028c-7239-495d-b020-f22348516046", description: String = "My parcel is late")
        -> String
    {
        #"{"account_id":12514403,"detail":{"actor_id":"20978392","assignee_id":null,"brand_id":"123","created_at":"2025-01-08T10:12:07Z","custom_status":"8447320465790","description":"\#(description)","external_id":null,"form_id":"6876543","group_id":"98738","id":"35436","is_public":true,"organization_id":"10002","priority":"LOW","requester_id":"20978392","status":"NEW","subject":"Parcel","submitter_id":"20978392","tags":["enterprise","parcel"],"type":"QUESTION","updated_at":"2025-01-08T10:12:07Z","via":{"channel":"web"}},"event":{},"id":"\#(id)","subject":"zen:ticket:35436","time":"2025-01-08T10:12:07.672717030Z","type":"zen:event-type:ticket.created","zendesk_event_version":"2022-11-06"}"#
    }

    static func commentAdded(
        id: String = "030a3f7a-9bb9-47a4-9a36-6aa8f1d66783", body: String = "Any news? It is still not here.",
        commentId: String = "8658726228478",
        author: String = "20978392", staff: Bool = false, isPublic: Bool = true, channel: String = "mail"
    ) -> String {
        #"{"account_id":12514403,"detail":{"actor_id":"\#(author)","created_at":"2025-01-08T10:12:07Z","description":"My parcel is late","id":"35436","is_public":true,"priority":null,"requester_id":"20978392","status":"OPEN","subject":"Parcel","tags":null,"type":null,"updated_at":"2025-01-14T19:31:42Z","via":{"channel":"\#(channel)"}},"event":{"comment":{"author":{"id":"\#(author)","is_staff":\#(staff),"name":"Jane Roe"},"body":"\#(body)","html_body":"<div class=\"zd-comment\"><p>\#(body)</p></div>","id":"\#(commentId)","is_public":\#(isPublic)},"meta":{"sequence":{"id":"1","position":1}}},"id":"\#(id)","subject":"zen:ticket:35436","time":"2025-01-14T19:31:42.692223355Z","type":"zen:event-type:ticket.comment_added","zendesk_event_version":"2022-11-06"}"#
    }

    @Test("ticket.created: the ticket is the conversation, the requester the customer, the description the text")
    func ticketCreated() throws {
        let body = Self.created()
        #expect(try Self.connector.receive(Self.request(body)) == .event(key: "cbe4028c-7239-495d-b020-f22348516046"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "zd", receivedAt: Date())
        #expect(message.conversationId == "35436")
        #expect(message.customer == CustomerInfo(externalId: "20978392"))
        #expect(message.customer.identities(source: "zd").map(\.description) == ["source_user:zd:20978392"])
        #expect(message.text == "My parcel is late")
        #expect(message.messageId == "description")
        #expect(message.channel == "email")
        #expect(message.sentAt == Timestamp.parse("2025-01-08T10:12:07Z"))
        #expect(
            message.attributes == [
                "priority": .string("low"), "tags": .list([.string("enterprise"), .string("parcel")]),
                "via_channel": .string("web"),
            ])
    }

    @Test("ticket.comment_added by the requester: the comment is the text, its author names the customer")
    func commentAdded() throws {
        let body = Self.commentAdded()
        #expect(try Self.connector.receive(Self.request(body)) == .event(key: "030a3f7a-9bb9-47a4-9a36-6aa8f1d66783"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "zd", receivedAt: Date())
        #expect(message.conversationId == "35436")
        #expect(message.customer == CustomerInfo(externalId: "20978392", name: "Jane Roe"))
        #expect(message.text == "Any news? It is still not here.")
        #expect(message.messageId == "8658726228478")
        #expect(message.sentAt == Timestamp.parse("2025-01-14T19:31:42.692223355Z"))
        #expect(message.attributes["tags"] == .list([]))
        #expect(message.attributes["priority"] == nil)
        #expect(message.attributes["via_channel"] == .string("mail"))
        let chat = try Self.connector.message(
            from: Array(Self.commentAdded(channel: "native_messaging").utf8), source: "zd", receivedAt: Date())
        #expect(chat.channel == "chat")
        // The first comment is the description ticket.created carried: the same message.
        let first = try Self.connector.message(
            from: Array(Self.commentAdded(body: "My parcel is late").utf8), source: "zd", receivedAt: Date())
        #expect(first.messageId == "description")
    }

    @Test("staff comments, internal notes and other event types are acknowledged and ignored")
    func ignored() throws {
        #expect(
            try Self.connector.receive(Self.request(Self.commentAdded(author: "7", staff: true)))
                == .ignored(type: "ticket.comment_added.staff"))
        #expect(
            try Self.connector.receive(Self.request(Self.commentAdded(isPublic: false)))
                == .ignored(type: "ticket.comment_added.private"))
        let status =
            #"{"type":"zen:event-type:ticket.status_changed","id":"e-1","detail":{"id":"35436"},"event":{"current":"SOLVED","previous":"OPEN"}}"#
        #expect(try Self.connector.receive(Self.request(status)) == .ignored(type: "ticket.status_changed"))
        // The example payload of Zendesk's "Webhook event types" page.
        let user =
            #"{"type":"zen:event-type:user.active_changed","account_id":12514403,"id":"2b24ef10-19d4-4740-93cf-8f98ec4776c0","time":"2099-07-04T05:33:18Z","zendesk_event_version":"2022-06-20","subject":"zen:user:6596848315901","detail":{"created_at":"2099-07-04T05:27:58Z","email":"johndoe@example.com","external_id":"","default_group_id":"0","id":"6596848315901","organization_id":"0","role":"end-user","updated_at":"2099-07-04T05:33:18Z"},"event":{"current":false,"previous":true}}"#
        #expect(try Self.connector.receive(Self.request(user)) == .ignored(type: "user.active_changed"))
    }

    /// The trigger template of docs/connectors.md, as Zendesk renders it.
    static func trigger(
        commentId: String = "54509304133531", comment: String = "Where is my parcel?",
        email: String = "Jane.Roe@Example.com",
        phone: String = "+1 (415) 555-0100", role: String = "end-user", updatedAt: String = "2026-08-17T07:34:48Z"
    ) -> String {
        #"{"ticket":{"id":"35436","updated_at":"\#(updatedAt)","priority":"Normal","tags":"vip parcel","via":"Web Form","description":"My parcel is late","requester":{"id":"20978392","name":"Jane Roe","email":"\#(email)","phone":"\#(phone)"},"latest_comment":{"id":"\#(commentId)","body":"\#(comment)"}},"current_user":{"role":"\#(role)"}}"#
    }

    @Test("a trigger body carries the requester's email and phone, keyed by ticket and latest comment")
    func triggerBody() throws {
        let body = Self.trigger()
        #expect(try Self.connector.receive(Self.request(body)) == .event(key: "ticket:35436:comment-54509304133531"))
        let message = try Self.connector.message(from: Array(body.utf8), source: "zd", receivedAt: Date())
        #expect(message.conversationId == "35436")
        #expect(
            message.customer
                == CustomerInfo(
                    externalId: "20978392", name: "Jane Roe", email: "Jane.Roe@Example.com", phone: "+1 (415) 555-0100")
        )
        #expect(
            message.customer.identities(source: "zd").map(\.description) == [
                "source_user:zd:20978392", "email:jane.roe@example.com", "phone:+14155550100",
            ])
        #expect(message.text == "Where is my parcel?")
        #expect(message.messageId == "comment-54509304133531")
        #expect(message.channel == "email")
        #expect(message.sentAt == Timestamp.parse("2026-08-17T07:34:48Z"))
        #expect(
            message.attributes == [
                "priority": .string("normal"), "tags": .list([.string("vip"), .string("parcel")]),
                "via_channel": .string("Web Form"),
            ])
        // A local number has no country: left out. No comment id: keyed by the update time.
        let local = try Self.connector.message(
            from: Array(Self.trigger(phone: "555-0100").utf8), source: "zd", receivedAt: Date())
        #expect(local.customer.phone == nil)
        #expect(
            try Self.connector.receive(Self.request(Self.trigger(commentId: "", comment: "")))
                == .event(key: "ticket:35436:updated-2026-08-17T07:34:48Z"))
        let described = try Self.connector.message(
            from: Array(Self.trigger(commentId: "", comment: "").utf8), source: "zd", receivedAt: Date())
        #expect(described.text == "My parcel is late")
    }

    @Test("a trigger fired by an agent's update is not the customer's message")
    func triggerByAgent() throws {
        #expect(
            try Self.connector.receive(Self.request(Self.trigger(role: "Agent")))
                == .ignored(type: "ticket.agent_update"))
        #expect(
            try Self.connector.receive(Self.request(Self.trigger(role: "admin")))
                == .ignored(type: "ticket.agent_update"))
    }

    @Test("a wrong signature, a stale or missing timestamp and malformed bodies are refused with the reason")
    func refused() {
        let body = Self.created()
        #expect(throws: ConnectorRejection.unauthenticated("X-Zendesk-Webhook-Signature does not match the body")) {
            try Self.connector.receive(Self.request(body, secret: "wrong"))
        }
        #expect(throws: ConnectorRejection.timestampOutsideTolerance) {
            try Self.connector.receive(Self.request(body, timestamp: Date().addingTimeInterval(-301)))
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing X-Zendesk-Webhook-Signature-Timestamp header")) {
            try Self.connector.receive(
                ConnectorRequest(
                    headers: ["X-Zendesk-Webhook-Signature": "x"], body: Array(body.utf8), receivedAt: Date()))
        }
        #expect(
            throws: ConnectorRejection.unauthenticated(
                "X-Zendesk-Webhook-Signature-Timestamp is not an ISO 8601 date-time")
        ) {
            try Self.connector.receive(
                ConnectorRequest(
                    headers: [
                        "X-Zendesk-Webhook-Signature-Timestamp": "yesterday", "X-Zendesk-Webhook-Signature": "x",
                    ],
                    body: Array(body.utf8), receivedAt: Date()))
        }
        let notJSON = #expect(throws: ConnectorRejection.self) { try Self.connector.receive(Self.request("not json")) }
        if case .payload(.malformed) = notJSON {
        } else {
            Issue.record("expected a malformed body, got \(String(describing: notJSON))")
        }
        #expect(throws: ConnectorRejection.payload(.missingField("type (or ticket)"))) {
            try Self.connector.receive(Self.request(#"{"say": "hello"}"#))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("detail.requester_id"))) {
            try Self.connector.receive(
                Self.request(
                    #"{"type":"zen:event-type:ticket.created","id":"e-2","detail":{"id":"1","description":"hi"}}"#))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("event.comment.body"))) {
            try Self.connector.receive(
                Self.request(
                    #"{"type":"zen:event-type:ticket.comment_added","id":"e-3","detail":{"id":"1","requester_id":"2"},"event":{"comment":{"id":"9","is_public":true}}}"#
                ))
        }
        #expect(throws: ConnectorRejection.payload(.invalidField("detail.tags", "expected a list or an object"))) {
            try Self.connector.receive(
                Self.request(
                    #"{"type":"zen:event-type:ticket.created","id":"e-4","detail":{"id":"1","requester_id":"2","description":"hi","tags":"vip"}}"#
                ))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("ticket.id"))) {
            try Self.connector.receive(Self.request(#"{"ticket":{"description":"hi","requester":{"email":"a@b.co"}}}"#))
        }
    }
}
