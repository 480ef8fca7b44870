import Foundation
import HTTPTypes
import HummingbirdTesting

/// The agent API as a desk calls it, for the offer tests.
extension TestClientProtocol {
    /// Posts one signed customer message from a customer of its own (so that no previous-agent preference
    /// plays a part) and requires the 202.
    func send(
        _ environment: TestEnvironment, _ conversation: String, _ text: String, id: String = "m-1",
        sentAt: String = "2026-11-23T10:00:00Z"
    ) async throws {
        let body = TestEnvironment.body(
            conversation: conversation, customerId: "u-\(conversation)", email: "\(conversation)@example.com",
            messageId: id, text: text, sentAt: sentAt)
        let response = try await postInbound(environment, body: body)
        guard response.status == .accepted else { throw TestFailure("inbound answered \(response.status)") }
    }

    func accept(_ handoffId: String) async throws -> TestResponse {
        try await admin("/v1/handoffs/\(handoffId)/accept", method: .post)
    }

    func decline(_ handoffId: String, reason: String) async throws -> TestResponse {
        try await admin("/v1/handoffs/\(handoffId)/decline", method: .post, json: jsonText(["reason": reason]))
    }

    func transfer(_ conversationId: String, _ body: [String: Any]) async throws -> TestResponse {
        try await admin("/v1/conversations/\(conversationId)/transfer", method: .post, json: jsonText(body))
    }

    func presence(_ agentId: String, _ status: String) async throws -> TestResponse {
        try await admin("/v1/agents/\(agentId)/presence", method: .post, json: jsonText(["status": status]))
    }

    func conversation(_ id: String) async throws -> TestResponse {
        try await admin("/v1/conversations/\(id)")
    }

    func decisions(_ conversationId: String) async throws -> [[String: Any]] {
        try await admin("/v1/conversations/\(conversationId)/decisions").json["decisions"] as? [[String: Any]] ?? []
    }

    /// The conversations an agent holds on a channel, offers included, as `GET /v1/agents` shows them.
    func load(of agentId: String, on channel: String = "chat") async throws -> Int? {
        let agents = try await admin("/v1/agents").json["agents"] as? [[String: Any]] ?? []
        guard let agent = agents.first(where: { $0["id"] as? String == agentId }) else { return nil }
        return (agent["load"] as? [String: Int])?[channel] ?? 0
    }

    /// `GET /metrics` with the admin token, parsed.
    func metrics() async throws -> PrometheusText {
        let response = try await execute(
            uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(TestEnvironment.adminToken)"])
        guard response.status == .ok else { throw TestFailure("GET /metrics answered \(response.status)") }
        return try PrometheusText(response.text)
    }

    private func jsonText(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

extension TestResponse {
    /// The message of Hummingbird's error body, `{"error": {"message": "..."}}`.
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
}
