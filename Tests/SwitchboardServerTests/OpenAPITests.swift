import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SwitchboardConfig
import SwitchboardServer
import Testing

/// Sources/SwitchboardServer/Resources/openapi.json is the HTTP contract: served as it is at
/// /openapi.json, valid OpenAPI 3.1, naming exactly the routes the router registers, and matched by
/// every response schemathesis provokes from a live server.
@Suite("OpenAPI document")
struct OpenAPITests {
    static func environment(agents: [String] = []) throws -> TestEnvironment { try TestEnvironment(agents: agents) }

    @Test("GET /openapi.json serves the repository's document byte for byte, as JSON, without a token")
    func served() async throws {
        let expected = try OpenAPIDocument().bytes
        let environment = try Self.environment()
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(Array(response.body.readableBytesView) == expected)

            let verdict = try await OpenAPIDocument.check(Array(response.body.readableBytesView))
            #expect(verdict.status == 0, "\(verdict.output)")
            #expect(verdict.output.hasPrefix("OpenAPI 3.1."), "\(verdict.output)")
        }
    }

    @Test("a document that breaks the OpenAPI 3.1 schema is refused by the checker")
    func checkerRefuses() async throws {
        var json = try OpenAPIDocument().json
        var paths = try #require(json["paths"] as? [String: Any])
        paths["/health"] = ["get": ["responses": "none"]]
        json["paths"] = paths
        let verdict = try await OpenAPIDocument.check(Array(try JSONSerialization.data(withJSONObject: json)))
        #expect(verdict.status == 1, "\(verdict.output)")
    }

    @Test("every route the router registers is in the document, and every operation in it is a route")
    func routesDocumented() async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        let recorder = LogRecorder()
        _ = try await buildApplication(configuration: environment.configuration, logger: recorder.logger())
        let logged = try #require(recorder.records("routes registered").last?.metadata["routes"])
        guard case .array(let values) = logged else { throw TestFailure("routes logged as \(logged)") }
        let routes = Set(values.map(\.description))
        let documented = try OpenAPIDocument().operations
        #expect(routes.contains("PUT /v1/agents/{id}"), "\(routes.sorted())")
        #expect(routes.subtracting(documented).sorted() == [], "registered but not in openapi.json")
        #expect(documented.subtracting(routes).sorted() == [], "in openapi.json but not registered")
    }

    /// A request with a method its path does not take.
    struct WrongMethod: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        /// The `Allow` header expected; nil for a path the server does not know at all (404).
        var allow: String?

        var testDescription: String { "\(method) \(path)" }
    }

    @Test(
        "a method a path does not take answers 405 with Allow; an unknown path 404",
        arguments: [
            WrongMethod(method: .delete, path: "/v1/agents", allow: "GET"),
            WrongMethod(method: .post, path: "/health", allow: "GET"),
            WrongMethod(method: .put, path: "/openapi.json", allow: "GET"),
            WrongMethod(method: .get, path: "/v1/inbound/web", allow: "POST"),
            WrongMethod(method: .get, path: "/v1/inbound/web/a-token", allow: "POST"),
            WrongMethod(method: .get, path: "/v1/agents/ana/presence", allow: "POST"),
            WrongMethod(method: .delete, path: "/v1/agents/ana", allow: "PUT"),
            WrongMethod(method: .get, path: "/v1/nothing-here", allow: nil),
        ])
    func wrongMethod(_ request: WrongMethod) async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        try await environment.application().test(.router) { client in
            let response = try await client.execute(
                uri: request.path, method: request.method, headers: TestEnvironment.adminHeaders)
            if let allow = request.allow {
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == allow)
                #expect(response.errorMessage == "\(request.method) is not supported on \(request.path); it takes \(allow)")
            } else {
                #expect(response.status == .notFound)
            }
        }
    }

    static let deskToken = "desk-token-of-ana-for-schemathesis"

    @Test("schemathesis finds every response of a live server as the document describes it, as an admin and as a desk", .timeLimit(.minutes(8)))
    func fuzz() async throws {
        let operations = try OpenAPIDocument().operations.count
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try Self.environment(agents: [
            TestEnvironment.agent(
                "ana", name: "Ana Ruiz", skills: "{billing: 4, general: 3}", authority: "{refund_limit: 500}", desk: ana)
                .replacingOccurrences(of: "}}", with: "}, tokens: [\"\(DeskTokenSettings.hashed(Self.deskToken))\"]}"),
            TestEnvironment.agent("ben", name: "Ben Okafor", skills: "{general: 2}", desk: ben),
        ])
        defer { environment.remove() }
        let runs: [Schemathesis.Run]
        do {
            // As an admin, then as ana's desk: every answer a desk token gets (403 naming the permission, 404 for
            // another agent's work) is documented too.
            runs = try await environment.application().test(.live) { client in
                let fixtures = try await FuzzFixtures.seed(client, environment: environment)
                let port = try #require(client.port)
                return [
                    try await Schemathesis.run(port: port, token: TestEnvironment.adminToken, fixtures: fixtures, name: "admin"),
                    try await Schemathesis.run(port: port, token: Self.deskToken, fixtures: fixtures, name: "desk"),
                ]
            }
        } catch {
            await ana.stop()
            await ben.stop()
            throw error
        }
        await ana.stop()
        await ben.stop()
        for run in runs {
            // Plain values in the expectations, so that a failure prints schemathesis' report once.
            let (status, tested) = (run.status, run.tested)
            #expect(status == 0, "schemathesis found responses the document does not describe (whole reports: test-artifacts/schemathesis/admin.txt and desk.txt):\n\(run.output)\n\(run.invocation)")
            #expect(tested == operations, "schemathesis did not test every operation:\n\(run.output)")
        }
    }
}
