import Foundation
import HummingbirdTesting

/// Real state on a live server for schemathesis to reach: the ids it draws path parameters from (half
/// the time; the other half it makes ids up), so that fuzzing gets past 404 into conversations,
/// handoffs and customers that exist, and their responses are checked against the document too.
///
/// Three customers write in: Li's refund is accepted by ana and resolved with a promise, Bo's
/// conversation is left offered, Kim's is accepted, and Kim is merged into Bo (so Kim answers 410).
struct FuzzFixtures {
    var agents: [String]
    var conversations: [String]
    var handoffs: [String]
    var customers: [String]
    var identities: [String]

    static func seed(_ client: some TestClientProtocol, environment: TestEnvironment) async throws -> FuzzFixtures {
        let li = try await start(client, environment, "c-1", customer: "u-7", email: "li@example.com", "I was charged twice, refund $300")
        let bo = try await start(client, environment, "c-2", customer: "u-8", email: "bo@example.com", "Hello?", phone: "+14155550100")
        let kim = try await start(client, environment, "c-3", customer: "u-9", email: "kim@example.com", "My order is late")

        try await expectOK(client.accept(li.handoff), "accept")
        let due = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
        try await expectOK(
            client.admin(
                "/v1/conversations/\(li.conversation)/resolve", method: .post,
                json: #"{"outcome": "refunded", "notes": "card refunded", "follow_up": {"due": "\#(due)", "what": "confirm the refund"}}"#),
            "resolve")
        try await expectOK(client.accept(kim.handoff), "accept")
        try await expectOK(
            client.admin("/v1/customers/\(bo.customer)/merge", method: .post, json: #"{"from": "\#(kim.customer)"}"#), "merge")
        // Two versions of the routing table and a valid draft, so that publish, rollback and replay reach their
        // successful answers too, not only "there is no draft".
        let strict = TestEnvironment.routes.replacingOccurrences(of: "general: 1", with: "general: 2")
        try await expectOK(client.putDraft(strict), "save a draft")
        try await expectOK(client.admin("/v1/routes/draft/publish", method: .post), "publish")
        try await expectOK(client.putDraft(TestEnvironment.routes), "save a draft")
        return FuzzFixtures(
            agents: ["ana", "ben"], conversations: [li.conversation, bo.conversation, kim.conversation],
            handoffs: [bo.handoff, kim.handoff], customers: [li.customer, bo.customer, kim.customer],
            identities: ["email:li@example.com", "phone:+14155550100"])
    }

    /// A customer's first message, once it is offered to an agent.
    private static func start(
        _ client: some TestClientProtocol, _ environment: TestEnvironment, _ conversation: String, customer: String,
        email: String, _ text: String, phone: String? = nil
    ) async throws -> (customer: String, conversation: String, handoff: String) {
        var person: [String: Any] = ["id": customer, "email": email, "name": "Customer \(customer)"]
        person["phone"] = phone
        let object: [String: Any] = [
            "conversation_id": conversation, "channel": "chat", "customer": person,
            "message": ["id": "m-\(conversation)", "text": text], "attributes": ["tier": "gold", "order": 1234],
        ]
        let body = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        let posted = try await client.postInbound(environment, body: body)
        guard posted.status == .accepted else { throw TestFailure("inbound \(conversation) answered \(posted.status)") }

        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let found = try await client.admin("/v1/customers?identity=email:\(email)")
            if let id = found.json["id"] as? String,
                let first = (found.json["conversations"] as? [[String: Any]])?.first, let conversationId = first["id"] as? String,
                let handoff = try await client.conversation(conversationId).json["handoff_id"] as? String
            {
                return (id, conversationId, handoff)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("conversation \(conversation) was not offered to anyone within 10 s")
    }

    private static func expectOK(_ response: TestResponse, _ what: String) throws {
        guard response.status == .ok else { throw TestFailure("\(what) answered \(response.status): \(response.text)") }
    }
}
