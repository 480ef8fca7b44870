import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StandardWebhooks
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// What a platform sees when its webhook is wrong, and that nothing wrong is ever stored.
@Suite("Inbound validation")
struct InboundValidationTests {
    static let validBody = TestEnvironment.body(conversation: "c-1", messageId: "m-1", text: "hello there")

    /// A request variant, the status it must get, and a phrase the error must contain.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: HTTPResponse.Status
        var phrase: String
        var request: @Sendable (TestEnvironment) -> (uri: String, headers: HTTPFields, body: [UInt8])
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "wrong signature", status: .unauthorized, phrase: "signature") { env in
            let other = WebhookSecret.generate()
            return ("/v1/inbound/web", env.signedHeaders(validBody, secret: other), validBody)
        },
        Case(name: "missing signature header", status: .unauthorized, phrase: "webhook-signature") { env in
            var headers = env.signedHeaders(validBody)
            headers[HTTPField.Name("webhook-signature")!] = nil
            return ("/v1/inbound/web", headers, validBody)
        },
        Case(name: "missing id header", status: .unauthorized, phrase: "webhook-id") { env in
            var headers = env.signedHeaders(validBody)
            headers[HTTPField.Name("webhook-id")!] = nil
            return ("/v1/inbound/web", headers, validBody)
        },
        Case(name: "stale timestamp", status: .unauthorized, phrase: "timestamp outside tolerance") { env in
            let stale = Int(Date().timeIntervalSince1970) - 330
            return ("/v1/inbound/web", env.signedHeaders(validBody, timestamp: stale), validBody)
        },
        Case(name: "future timestamp", status: .unauthorized, phrase: "timestamp outside tolerance") { env in
            let future = Int(Date().timeIntervalSince1970) + 330
            return ("/v1/inbound/web", env.signedHeaders(validBody, timestamp: future), validBody)
        },
        Case(name: "body changed after signing", status: .unauthorized, phrase: "signature") { env in
            let headers = env.signedHeaders(validBody)
            let tampered = TestEnvironment.body(conversation: "c-1", messageId: "m-1", text: "hello therE")
            return ("/v1/inbound/web", headers, tampered)
        },
        Case(name: "unknown source", status: .notFound, phrase: "unknown source \\\"nope\\\"") { env in
            ("/v1/inbound/nope", env.signedHeaders(validBody), validBody)
        },
        Case(name: "malformed JSON", status: .badRequest, phrase: "malformed JSON") { env in
            let body = Array(#"{"conversation_id": "c-1", "#.utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "JSON that is not an object", status: .badRequest, phrase: "JSON object") { env in
            let body = Array("[1, 2]".utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "missing message text", status: .unprocessableContent, phrase: "missing required field: message.text") { env in
            let body = Array(#"{"conversation_id": "c-1", "channel": "chat", "customer": {"id": "u"}, "message": {"id": "m"}}"#.utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "missing conversation id", status: .unprocessableContent, phrase: "missing required field: conversation_id") { env in
            let body = Array(#"{"channel": "chat", "customer": {"id": "u"}, "message": {"id": "m", "text": "hi"}}"#.utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "customer without any identity", status: .unprocessableContent, phrase: "customer.id") { env in
            let body = Array(#"{"conversation_id": "c", "channel": "chat", "customer": {"name": "X"}, "message": {"id": "m", "text": "hi"}}"#.utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "wrong type", status: .unprocessableContent, phrase: "conversation_id") { env in
            let body = Array(#"{"conversation_id": 7, "channel": "chat", "customer": {"id": "u"}, "message": {"id": "m", "text": "hi"}}"#.utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "bad sent_at", status: .unprocessableContent, phrase: "message.sent_at") { env in
            let body = Array(#"{"conversation_id": "c", "channel": "chat", "customer": {"id": "u"}, "message": {"id": "m", "text": "hi", "sent_at": "yesterday"}}"#.utf8)
            return ("/v1/inbound/web", env.signedHeaders(body), body)
        },
        Case(name: "body over the limit", status: .contentTooLarge, phrase: "exceeds the limit of 4096 bytes") { env in
            let big = TestEnvironment.body(conversation: "c", messageId: "m", text: String(repeating: "x", count: 5000))
            return ("/v1/inbound/web", env.signedHeaders(big), big)
        },
    ]

    @Test("rejected requests name the problem and store nothing", arguments: cases)
    func rejected(_ testCase: Case) async throws {
        var environment = try TestEnvironment(agents: [])
        environment.configuration.inbound.maxBodyBytes = 4096
        defer { environment.remove() }
        let request = testCase.request(environment)
        try await environment.application().test(.live) { client in
            let response = try await client.execute(
                uri: request.uri, method: .post, headers: request.headers, body: ByteBuffer(bytes: request.body))
            #expect(response.status == testCase.status)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.text.contains(testCase.phrase), "\(response.text)")
        }
        let store = try SQLiteStore(path: environment.configuration.storage.sqlite)
        #expect(try await store.pendingEvents(limit: 10).isEmpty)
    }

    @Test("the same webhook id twice: 200 the second time, and only one handoff")
    func duplicate() async throws {
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ben", name: "Ben", skills: "{general: 2}", desk: desk)
        ])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let first = try await client.postInbound(environment, body: Self.validBody, id: "msg_same")
            #expect(first.status == .accepted)
            let second = try await client.postInbound(environment, body: Self.validBody, id: "msg_same")
            #expect(second.status == .ok)
            #expect(second.json["status"] as? String == "duplicate")
            _ = await desk.waitForDeliveries(1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(desk.deliveries.count == 1)
        }
        await desk.stop()
    }

    @Test("several space-separated signatures: one valid v1 entry is enough")
    func multipleSignatures() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            var headers = environment.signedHeaders(Self.validBody)
            let valid = headers[HTTPField.Name("webhook-signature")!]!
            headers[HTTPField.Name("webhook-signature")!] = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,zzz \(valid)"
            let response = try await client.execute(
                uri: "/v1/inbound/web", method: .post, headers: headers, body: ByteBuffer(bytes: Self.validBody))
            #expect(response.status == .accepted)
        }
    }
}
