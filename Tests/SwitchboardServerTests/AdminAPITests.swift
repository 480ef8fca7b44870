import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The agent and conversation APIs: tokens required, clear errors, changes that take effect.
@Suite("Admin API")
struct AdminAPITests {
    struct Call: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var testDescription: String { "\(method) \(uri)" }
    }

    static let calls: [Call] = [
        Call(method: .get, uri: "/v1/agents"),
        Call(method: .put, uri: "/v1/agents/x"),
        Call(method: .post, uri: "/v1/agents/x/presence"),
        Call(method: .post, uri: "/v1/conversations/x/resolve"),
        Call(method: .get, uri: "/v1/conversations/x/decisions"),
    ]

    @Test("every agent and conversation endpoint refuses a missing or wrong token", arguments: calls)
    func requiresToken(_ call: Call) async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let none = try await client.execute(uri: call.uri, method: call.method)
            #expect(none.status == .unauthorized)
            #expect(none.text.contains("missing bearer token"))
            let wrong = try await client.execute(
                uri: call.uri, method: call.method, headers: [.authorization: "Bearer not-the-token"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("invalid bearer token"))
        }
    }

    @Test("PUT /v1/agents creates an agent, validates it, and never shows the desk secret")
    func putAgent() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let created = try await client.admin(
                "/v1/agents/cleo", method: .put,
                json: """
                    {"name": "Cleo", "status": "away", "skills": {"billing": 2}, "authority": {"refund_limit": 100},
                     "capacity": {"chat": 2}, "desk": {"url": "http://127.0.0.1:9/h", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
                    """)
            #expect(created.status == .ok)
            #expect(created.json["status"] as? String == "away")
            #expect(!created.text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))

            let listed = try await client.admin("/v1/agents")
            let agents = listed.json["agents"] as? [[String: Any]] ?? []
            #expect(agents.map { $0["id"] as? String } == ["cleo"])
            #expect(!listed.text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))

            let badLevel = try await client.admin("/v1/agents/dan", method: .put, json: #"{"skills": {"billing": 9}}"#)
            #expect(badLevel.status == .unprocessableContent)
            #expect(badLevel.text.contains("skill billing has level 9, but levels are 1 to 5"))

            // Capacities are summed by the routing engine: one past the limit is refused, not an overflow.
            let huge = try await client.admin(
                "/v1/agents/dan", method: .put, json: #"{"capacity": {"chat": 10001, "email": 9223372036854775807}}"#)
            #expect(huge.status == .unprocessableContent)
            #expect(huge.errorMessage?.contains("capacity for chat is 10001, but at most 10000") == true)

            let mismatch = try await client.admin("/v1/agents/dan", method: .put, json: #"{"id": "eve"}"#)
            #expect(mismatch.status == .unprocessableContent)

            let badStatus = try await client.admin(
                "/v1/agents/cleo/presence", method: .post, json: #"{"status": "sleeping"}"#)
            #expect(badStatus.status == .unprocessableContent)
            let unknown = try await client.admin(
                "/v1/agents/nobody/presence", method: .post, json: #"{"status": "online"}"#)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("resolving needs an assigned conversation and an outcome")
    func resolveErrors() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let missing = try await client.admin("/v1/conversations/cv_nope/resolve", method: .post, json: #"{"outcome": "done"}"#)
            #expect(missing.status == .notFound)
            let promised = try await client.admin(
                "/v1/conversations/cv_nope/resolve", method: .post,
                json: #"{"outcome": "done", "follow_up": {"due": "2000-01-01T00:00:00Z", "what": "call back"}}"#)
            #expect(promised.status == .notFound)
            #expect(promised.errorMessage == #"unknown conversation "cv_nope""#)
            let noOutcome = try await client.admin("/v1/conversations/cv_nope/resolve", method: .post, json: "{}")
            #expect(noOutcome.status == .unprocessableContent)
            #expect(noOutcome.text.contains("outcome"))
        }
    }

    @Test("health answers without a token")
    func health() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "ok")
        }
    }
}
