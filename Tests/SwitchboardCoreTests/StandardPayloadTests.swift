import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Standard payload")
struct StandardPayloadTests {
    static let received = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("the documented example normalises into a message")
    func example() throws {
        let body = #"""
            {"conversation_id": "c-1", "channel": "chat",
             "customer": {"id": "u-42", "name": "Ana Ruiz", "email": "Ana@Example.com", "phone": "+14155550100"},
             "message": {"id": "m-1", "text": "I was charged twice, I want a refund of $300", "sent_at": "2026-11-23T10:00:00Z"},
             "attributes": {"tier": "gold", "language": "en", "orders": 3}}
            """#
        let message = try StandardPayload.message(from: Array(body.utf8), source: "web", receivedAt: Self.received)
        #expect(message.conversationId == "c-1")
        #expect(message.customer.externalId == "u-42")
        #expect(message.sentAt == (try Date("2026-11-23T10:00:00Z", strategy: .iso8601)))
        #expect(message.attributes["orders"] == .number(3))
        #expect(
            message.customer.identities(source: "web").map(\.description)
                == ["source_user:web:u-42", "email:ana@example.com", "phone:+14155550100"])
    }

    @Test("a missing sent_at takes the receipt time")
    func defaultSentAt() throws {
        let body = #"{"conversation_id": "c", "channel": "chat", "customer": {"email": "a@b.c"}, "message": {"id": "m", "text": "hi"}}"#
        let message = try StandardPayload.message(from: Array(body.utf8), source: "web", receivedAt: Self.received)
        #expect(message.sentAt == Self.received)
    }

    static let rejections: [(String, PayloadError)] = [
        ("not json", .malformed("")),
        (#"{"channel": "chat"}"#, .missingField("conversation_id")),
        (#"{"conversation_id": "c"}"#, .missingField("channel")),
        (#"{"conversation_id": "c", "channel": "chat"}"#, .missingField("customer")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {}}"#, .missingField("customer.id (or customer.email or customer.phone)")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {"id": "u"}}"#, .missingField("message")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {"id": "u"}, "message": {"text": "x"}}"#, .missingField("message.id")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {"id": "u"}, "message": {"id": "m", "text": "  "}}"#, .missingField("message.text")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {"email": "nope"}, "message": {"id": "m", "text": "x"}}"#, .invalidField("customer.email", "")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {"phone": "415 555 0100"}, "message": {"id": "m", "text": "x"}}"#, .invalidField("customer.phone", "")),
        (#"{"conversation_id": ["c"], "channel": "chat"}"#, .invalidField("conversation_id", "")),
        (#"{"conversation_id": "c", "channel": "chat", "customer": {"id": "u"}, "message": {"id": "m", "text": "x"}, "attributes": {"a": {"b": 1}}}"#, .invalidField("attributes.a", "")),
    ]

    @Test("bad bodies are rejected with the field named", arguments: rejections)
    func rejected(_ body: String, _ expected: PayloadError) {
        #expect {
            try StandardPayload.message(from: Array(body.utf8), source: "web", receivedAt: Self.received)
        } throws: { error in
            guard let error = error as? PayloadError else { return false }
            switch (error, expected) {
            case (.malformed, .malformed): return true
            case (.missingField(let a), .missingField(let b)): return a == b
            case (.invalidField(let a, _), .invalidField(let b, _)): return a == b
            default: return false
            }
        }
    }
}
