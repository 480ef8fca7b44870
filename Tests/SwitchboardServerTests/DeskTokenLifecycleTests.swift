import Curl
import Foundation
import Testing
import TestSupport

/// Desk tokens created through the admin API: shown once, two at once per desk for rotation, revoked at
/// once on every instance, their last use and what they did recorded. On SQLite (one instance) and on
/// PostgreSQL (two instances, the token created and revoked on one and used on the other).
@Suite("Desk token lifecycle", .serialized)
struct DeskTokenLifecycleTests {
    enum Backing: String, CaseIterable, Sendable {
        case sqlite, postgres

        /// One instance on SQLite; two on PostgreSQL, sharing the test's database.
        func start(_ environment: TestEnvironment) async throws -> Instances {
            let url = self == .postgres ? try await PostgresCluster.shared().database() : ""
            return try await Instances.start(self == .postgres ? 2 : 1, database: url, environment: environment) {
                if self == .sqlite { $0.storage.postgres = "" }
            }
        }
    }

    struct Caller: Sendable {
        let instances: Instances

        func call(_ index: Int, _ method: String, _ path: String, token: String?, json: String? = nil) async throws
            -> (status: Int, json: [String: Any])
        {
            var request = CurlRequest(
                method: method, url: instances.base(index) + path, body: json.map { Array($0.utf8) } ?? [])
            if let token { request.headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
            request.headers.append(HTTPHeader("Content-Type", "application/json"))
            let response = try await instances.client.execute(request)
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            return (response.status, object)
        }

        func admin(_ index: Int, _ method: String, _ path: String, json: String? = nil) async throws
            -> (status: Int, json: [String: Any])
        {
            try await call(index, method, path, token: TestEnvironment.adminToken, json: json)
        }
    }

    @Test("create, use, rotate, revoke everywhere at once, audit", arguments: Backing.allCases)
    func lifecycle(_ backing: Backing) async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk),
            TestEnvironment.agent("ben", name: "Ben Okafor", skills: "{billing: 3}", desk: desk),
        ])
        defer { environment.remove() }
        let instances = try await backing.start(environment)
        let caller = Caller(instances: instances)
        let other = backing == .postgres ? 1 : 0

        let created = try await caller.admin(0, "POST", "/v1/desk-tokens", json: #"{"agents": ["ana"], "label": "laptop"}"#)
        #expect(created.status == 201)
        let first = try #require(created.json["token"] as? String)
        let firstId = try #require(created.json["id"] as? String)
        #expect(first.hasPrefix("sbd_") && first.count > 40)
        #expect(created.json["agents"] as? [String] == ["ana"])
        #expect(try await caller.admin(0, "POST", "/v1/desk-tokens", json: #"{"agents": ["zed"]}"#).status == 404)
        #expect(try await caller.admin(0, "POST", "/v1/desk-tokens", json: #"{"agents": []}"#).status == 422)

        // An offer to ana, accepted through the other instance with her new token.
        let body = TestEnvironment.body(
            conversation: "c-1", customerId: "u-1", email: "li@example.com", messageId: "m-1", text: "hello")
        #expect(try await instances.postInbound(0, body: body, id: "msg_1") == 202)
        let handoff = try #require(await desk.waitForDeliveries(1).first)
        let handoffId = try #require(handoff.value("handoff_id") as? String)
        let conversation = try #require(handoff.value("conversation.id") as? String)
        #expect(try await caller.call(other, "POST", "/v1/handoffs/\(handoffId)/accept", token: first).status == 200)
        // A desk token manages no tokens.
        let refused = try await caller.call(other, "POST", "/v1/desk-tokens", token: first, json: #"{"agents": ["ana"]}"#)
        #expect(refused.status == 403)
        #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("tokens:write") == true)

        // Rotation: a second token for the same desk, no third.
        let second = try await caller.admin(0, "POST", "/v1/desk-tokens", json: #"{"agents": ["ana"]}"#)
        #expect(second.status == 201)
        let secondToken = try #require(second.json["token"] as? String)
        #expect(try await caller.admin(0, "POST", "/v1/desk-tokens", json: #"{"agents": ["ana"]}"#).status == 409)
        #expect(try await caller.call(other, "GET", "/v1/conversations/\(conversation)", token: secondToken).status == 200)

        // Revoked on one instance, refused by every one at once.
        let revoked = try await caller.admin(0, "DELETE", "/v1/desk-tokens/\(firstId)")
        #expect(revoked.status == 200)
        #expect(revoked.json["revoked_at"] is String)
        #expect(try await caller.call(other, "GET", "/v1/conversations/\(conversation)", token: first).status == 401)
        #expect(try await caller.call(0, "GET", "/v1/conversations/\(conversation)", token: first).status == 401)
        #expect(try await caller.call(other, "GET", "/v1/conversations/\(conversation)", token: secondToken).status == 200)
        #expect(try await caller.admin(0, "DELETE", "/v1/desk-tokens/dt_unknown").status == 404)

        let listed = try await caller.admin(other, "GET", "/v1/desk-tokens")
        let tokens = listed.json["tokens"] as? [[String: Any]] ?? []
        #expect(tokens.map { $0["id"] as? String } == [firstId, second.json["id"] as? String])
        #expect(tokens.first?["last_used_at"] is String)
        #expect(tokens.first?["revoked_at"] is String)
        #expect(tokens.allSatisfy { $0["token"] == nil && $0["digest"] == nil })

        // What the desk token did, with the token's id and agent.
        let audit = try await caller.admin(other, "GET", "/v1/audit/desks")
        let actions = audit.json["actions"] as? [[String: Any]] ?? []
        #expect(actions.count == 1)
        #expect(actions.first?["action"] as? String == "accept")
        #expect(actions.first?["token_id"] as? String == firstId)
        #expect(actions.first?["agents"] as? [String] == ["ana"])
        #expect(actions.first?["subject"] as? String == handoffId)

        await instances.stop()
        await desk.stop()
    }
}

extension [String: Any] {
    /// The message of an error answer.
    var errorMessage: String? { (self["error"] as? [String: Any])?["message"] as? String }
}
