import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import Testing

/// Every endpoint of the bearer-token API against each kind of caller: an admin, a viewer, the desk of
/// agent A on A's own work and on B's, a token nobody issued, and none.
@Suite("Desk token access", .serialized)
struct DeskTokenAccessTests {
    static let viewerToken = "test-viewer-token-0123456789"
    static let anaToken = "desk-token-of-ana-0123456789"
    static let benToken = "desk-token-of-ben-0123456789"

    /// What each caller gets from one call. `desk` is desk A's answer, the call naming A's work where it
    /// names any; `deskOnB` its answer when the call names B's instead (nil: the call names no one's work).
    struct Row: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        /// nil: allowed, whatever the handler answers (not 401 or 403).
        var viewer: HTTPResponse.Status?
        var desk: HTTPResponse.Status
        var deskOnB: HTTPResponse.Status?
        var testDescription: String { "\(method) \(path)" }
    }

    /// Calls that change nothing when refused, and change nothing or little when made (so the table
    /// can run in any order): the ones a desk may make come last, in `ownWork`.
    static let table: [Row] = [
        Row(method: .get, path: "/v1/agents", viewer: .ok, desk: .forbidden),
        Row(method: .put, path: "/v1/agents/cy", body: #"{"name": "Cy", "skills": {"general": 1}}"#, viewer: .forbidden, desk: .forbidden),
        Row(method: .post, path: "/v1/agents/{B}/presence", body: #"{"status": "away"}"#, viewer: .forbidden, desk: .forbidden),
        Row(method: .get, path: "/v1/conversations/{conversation}", viewer: .ok, desk: .ok, deskOnB: .notFound),
        Row(method: .get, path: "/v1/conversations/{conversation}/decisions", viewer: .ok, desk: .ok, deskOnB: .notFound),
        Row(method: .post, path: "/v1/conversations/{conversation}/resolve", body: #"{"outcome": "x"}"#, viewer: .forbidden, desk: .ok, deskOnB: .notFound),
        Row(method: .post, path: "/v1/conversations/{conversation}/transfer", body: #"{"agent": "ana"}"#, viewer: .forbidden, desk: .ok, deskOnB: .notFound),
        Row(method: .post, path: "/v1/handoffs/{handoff}/accept", viewer: .forbidden, desk: .ok, deskOnB: .notFound),
        Row(method: .post, path: "/v1/handoffs/{handoff}/decline", body: #"{"reason": "busy"}"#, viewer: .forbidden, desk: .ok, deskOnB: .notFound),
        Row(method: .get, path: "/v1/customers?identity=email:li@example.com", viewer: .ok, desk: .forbidden),
        Row(method: .get, path: "/v1/customers/{customer}", viewer: .ok, desk: .ok, deskOnB: .notFound),
        Row(method: .get, path: "/v1/customers/{customer}/audit", viewer: .ok, desk: .forbidden),
        Row(method: .post, path: "/v1/customers/{customer}/merge", body: #"{"from": "nobody"}"#, viewer: .forbidden, desk: .forbidden),
        Row(method: .post, path: "/v1/customers/{customer}/unmerge", body: #"{"identity": "email:li@example.com"}"#, viewer: .forbidden, desk: .forbidden),
        Row(method: .get, path: "/v1/routes", viewer: .ok, desk: .forbidden),
        Row(method: .get, path: "/v1/routes/versions", viewer: .ok, desk: .forbidden),
        Row(method: .get, path: "/v1/routes/versions/1", viewer: .ok, desk: .forbidden),
        Row(method: .get, path: "/v1/routes/draft", viewer: nil, desk: .forbidden),
        Row(method: .put, path: "/v1/routes/draft", body: "routes: []", viewer: .forbidden, desk: .forbidden),
        Row(method: .delete, path: "/v1/routes/draft", viewer: .forbidden, desk: .forbidden),
        Row(method: .post, path: "/v1/routes/simulate", body: #"{"text": "hello"}"#, viewer: nil, desk: .forbidden),
        Row(method: .post, path: "/v1/routes/draft/replay", viewer: nil, desk: .forbidden),
        Row(method: .post, path: "/v1/routes/draft/publish", viewer: .forbidden, desk: .forbidden),
        Row(method: .post, path: "/v1/routes/rollback", body: #"{"version": 1}"#, viewer: .forbidden, desk: .forbidden),
        Row(method: .get, path: "/v1/audit", viewer: .ok, desk: .forbidden),
        Row(method: .get, path: "/metrics", viewer: .ok, desk: .forbidden),
        Row(method: .get, path: "/v1/desk-tokens", viewer: .ok, desk: .forbidden),
        Row(method: .post, path: "/v1/desk-tokens", body: #"{"agents": ["ana"]}"#, viewer: .forbidden, desk: .forbidden),
        Row(method: .delete, path: "/v1/desk-tokens/dt_0123456789abcdef", viewer: .forbidden, desk: .forbidden),
        Row(method: .get, path: "/v1/audit/desks", viewer: .ok, desk: .forbidden),
    ]

    static func headers(_ token: String?, json: Bool) -> HTTPFields {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json { headers[.contentType] = "application/json" }
        return headers
    }

    /// A conversation routed to A (ana: general) and one to B (ben: billing), each offered and not answered.
    struct Floor {
        var a: (conversation: String, handoff: String, customer: String)
        var b: (conversation: String, handoff: String, customer: String)
    }

    static func environment(desk: TestDesk) throws -> TestEnvironment {
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
                .replacingOccurrences(of: "}}", with: "}, tokens: [\"\(DeskTokenSettings.hashed(anaToken))\"]}"),
            TestEnvironment.agent(
                "ben", name: "Ben Okafor", skills: "{billing: 3}", authority: "{refund_limit: 500}", desk: desk)
                .replacingOccurrences(of: "}}", with: "}, tokens: [\"\(DeskTokenSettings.hashed(benToken))\"]}"),
        ])
        environment.configuration.viewerTokens = [viewerToken]
        // The table sends two wrong tokens per row from one address: throttling has tests of its own.
        environment.configuration.auth.maxFailures = 10_000
        return environment
    }

    /// Posts the two conversations through `post` and reads the offers off the desk.
    static func floor(_ desk: TestDesk, post: (String, [UInt8]) async throws -> Bool) async throws -> Floor {
        let li = TestEnvironment.body(conversation: "c-a", customerId: "u-1", email: "li@example.com", messageId: "m-1", text: "hello")
        let bo = TestEnvironment.body(conversation: "c-b", customerId: "u-2", email: "bo@example.com", messageId: "m-2", text: "refund my $20")
        #expect(try await post("msg_a", li))
        #expect(try await post("msg_b", bo))
        let handoffs = await desk.waitForDeliveries(2)
        try #require(handoffs.count == 2)
        func part(_ agent: String) throws -> (String, String, String) {
            let handoff = try #require(handoffs.first { $0.value("agent.id") as? String == agent })
            return (
                try #require(handoff.value("conversation.id") as? String), try #require(handoff.value("handoff_id") as? String),
                try #require(handoff.value("customer.id") as? String))
        }
        return Floor(a: try part("ana"), b: try part("ben"))
    }

    static func path(_ template: String, _ work: (conversation: String, handoff: String, customer: String)) -> String {
        template.replacingOccurrences(of: "{conversation}", with: work.conversation)
            .replacingOccurrences(of: "{handoff}", with: work.handoff).replacingOccurrences(of: "{customer}", with: work.customer)
            .replacingOccurrences(of: "{B}", with: "ben")
    }

    @Test(
        "refusals: a viewer changes nothing, a desk token touches only its agents' work, revoked and unknown tokens get 401",
        arguments: DeskTokenLifecycleTests.Backing.allCases)
    func refusals(_ backing: DeskTokenLifecycleTests.Backing) async throws {
        let desk = try await TestDesk.start()
        let environment = try Self.environment(desk: desk)
        defer { environment.remove() }
        let instances = try await backing.start(environment)
        let caller = DeskTokenLifecycleTests.Caller(instances: instances)
        let floor = try await Self.floor(desk) { id, body in try await instances.postInbound(0, body: body, id: id) == 202 }
        // A token of ana's created through the API and revoked: refused like one nobody issued.
        let created = try await caller.admin(0, "POST", "/v1/desk-tokens", json: #"{"agents": ["ana"]}"#)
        let revoked = try #require(created.json["token"] as? String)
        #expect(try await caller.admin(0, "DELETE", "/v1/desk-tokens/\(try #require(created.json["id"] as? String))").status == 200)
        // Each call goes to the next instance, as a load balancer would send them.
        var turn = 0
        for row in Self.table {
            func call(_ token: String?, _ work: (conversation: String, handoff: String, customer: String)) async throws
                -> (status: Int, message: String?)
            {
                turn += 1
                let answer = try await caller.call(
                    turn, row.method.rawValue, Self.path(row.path, work), token: token, json: row.body)
                return (answer.status, answer.json.errorMessage)
            }
            #expect(try await call(nil, floor.a).status == 401, "\(row.testDescription) without a token")
            #expect(try await call("a-token-nobody-issued-0123456789", floor.a).status == 401, "\(row.testDescription) with an unknown token")
            #expect(try await call(revoked, floor.a).status == 401, "\(row.testDescription) with a revoked token")
            let viewer = try await call(Self.viewerToken, floor.a)
            if let expected = row.viewer {
                #expect(viewer.status == Int(expected.code), "\(row.testDescription) as a viewer: \(viewer.message ?? "")")
            } else {
                #expect(![401, 403].contains(viewer.status), "\(row.testDescription) as a viewer")
            }
            if viewer.status == 403 {
                #expect(viewer.message?.contains("permission") == true, "\(viewer.message ?? "")")
            }
            if row.desk == .forbidden {
                let refused = try await call(Self.anaToken, floor.a)
                #expect(refused.status == 403, "\(row.testDescription) as ana's desk")
                #expect(
                    refused.message?.contains("desk token ana/1 may not") == true
                        || refused.message?.contains("may not set the presence of ben") == true,
                    "\(refused.message ?? "")")
            }
            if let onB = row.deskOnB {
                let other = try await call(Self.anaToken, floor.b)
                #expect(other.status == Int(onB.code), "\(row.testDescription) on ben's work as ana's desk: \(other.message ?? "")")
            }
        }
        // Ben's offer is still his, untouched by ana's desk: his own desk accepts it; nothing was recorded for ana.
        #expect(try await caller.call(turn + 1, "POST", "/v1/handoffs/\(floor.b.handoff)/accept", token: Self.benToken).status == 200)
        let actions = try await caller.admin(0, "GET", "/v1/audit/desks").json["actions"] as? [[String: Any]] ?? []
        #expect(actions.map { $0["token_id"] as? String } == ["ben/1"])
        await instances.stop()
        await desk.stop()
    }

    @Test("a desk token works its own agent's offer: read, accept, presence, transfer; the next desk accepts and resolves")
    func ownWork() async throws {
        let desk = try await TestDesk.start()
        let environment = try Self.environment(desk: desk)
        defer { environment.remove() }
        try await environment.application().test(.live) { [environment] client in
            let floor = try await Self.floor(desk) { _, body in
                try await client.postInbound(environment, body: body).status == .accepted
            }
            func call(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: method, headers: Self.headers(Self.anaToken, json: body != nil),
                    body: body.map { ByteBuffer(string: $0) })
            }
            #expect(try await call(.get, "/v1/conversations/\(floor.a.conversation)").status == .ok)
            #expect(try await call(.get, "/v1/conversations/\(floor.a.conversation)/decisions").status == .ok)
            let customer = try await call(.get, "/v1/customers/\(floor.a.customer)")
            #expect(customer.status == .ok)
            #expect(customer.json["id"] as? String == floor.a.customer)
            #expect(try await call(.post, "/v1/handoffs/\(floor.a.handoff)/accept").status == .ok)
            #expect(try await call(.post, "/v1/agents/ana/presence", #"{"status": "away"}"#).status == .ok)
            #expect(try await call(.post, "/v1/agents/ana/presence", #"{"status": "online"}"#).status == .ok)
            let transferred = try await call(.post, "/v1/conversations/\(floor.a.conversation)/transfer", #"{"agent": "ben"}"#)
            #expect(transferred.status == .ok, "\(transferred.errorMessage ?? "")")
            let offer = try #require(transferred.json["handoff_id"] as? String)
            // Ben's now: ana's desk no longer reads it, nor its customer.
            #expect(try await call(.get, "/v1/conversations/\(floor.a.conversation)").status == .notFound)
            #expect(try await call(.get, "/v1/customers/\(floor.a.customer)").status == .notFound)
            #expect(try await call(.post, "/v1/handoffs/\(offer)/accept").status == .notFound)
            func ben(_ path: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post, headers: Self.headers(Self.benToken, json: body != nil),
                    body: body.map { ByteBuffer(string: $0) })
            }
            #expect(try await ben("/v1/handoffs/\(offer)/accept").status == .ok)
            let resolved = try await ben("/v1/conversations/\(floor.a.conversation)/resolve", #"{"outcome": "answered"}"#)
            #expect(resolved.status == .ok)
            #expect(resolved.json["status"] as? String == "resolved")
            // The admin sees the customer whatever the desks hold.
            #expect(try await client.admin("/v1/customers/\(floor.a.customer)").status == .ok)
        }
        await desk.stop()
    }
}
