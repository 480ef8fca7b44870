import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import StandardWebhooks
import SwitchboardConfig
import SwitchboardServer

/// A temporary directory with routing tables, an agents file and a configuration whose store lives
/// inside it, so that every test runs against its own fresh server state.
struct TestEnvironment {
    let directory: URL
    var configuration: SwitchboardConfiguration
    let sourceSecret = WebhookSecret.generate()
    static let adminToken = "test-admin-token-0123456789"

    static let routes = """
        facts:
          amount: {extract: '\\$\\s?([0-9]+(?:\\.[0-9]+)?)', as: number}
          intent:
            - {when: 'text matches "(?i)refund|charged twice|money back"', value: refund}
            - {when: 'text matches "(?i)lawyer|ridiculous|unacceptable"', value: upset}
        routes:
          - name: refunds
            when: 'intent == "refund"'
            require:
              skills: {billing: 3}
              authority: {refund_limit: amount}
          - name: general
            require: {skills: {general: 1}}
        """

    /// - Parameter agents: the agents file's `agents:` entries, as YAML flow mappings.
    init(agents: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("Routes"), withIntermediateDirectories: true)
        try Self.routes.write(to: directory.appendingPathComponent("Routes/support.yaml"), atomically: true, encoding: .utf8)
        configuration = SwitchboardConfiguration()
        configuration.server = ServerSettings(host: "127.0.0.1", port: 0)
        configuration.storage = StorageSettings(sqlite: directory.appendingPathComponent("store/switchboard.db").path)
        configuration.routes = directory.appendingPathComponent("Routes").path
        configuration.agents = directory.appendingPathComponent("agents.yaml").path
        configuration.adminTokens = [Self.adminToken]
        configuration.sources = [SourceSettings(name: "web", kind: .standard, secret: sourceSecret.stringValue)]
        configuration.delivery.initialBackoffSeconds = 0.1
        configuration.delivery.maxBackoffSeconds = 0.5
        configuration.delivery.timeoutSeconds = 2
        try writeAgents(agents)
    }

    func writeAgents(_ agents: [String]) throws {
        let text = "agents:\n" + agents.map { "  - \($0)\n" }.joined()
        try text.write(to: URL(fileURLWithPath: configuration.agents), atomically: true, encoding: .utf8)
    }

    /// An agent entry for the agents file.
    static func agent(
        _ id: String, name: String, status: String = "online", skills: String, authority: String = "{}",
        capacity: String = "{chat: 3, email: 10}", desk: TestDesk?
    ) -> String {
        let deskPart = desk.map { ", desk: {url: \"\($0.url)\", secret: \"\($0.secret.stringValue)\"}" } ?? ""
        return "{id: \(id), name: \"\(name)\", status: \(status), skills: \(skills), authority: \(authority), capacity: \(capacity)\(deskPart)}"
    }

    func application() async throws -> some ApplicationProtocol {
        var logger = Logger(label: "test.switchboard")
        // SWITCHBOARD_TEST_LOG=debug shows the server's log while a test runs.
        logger.logLevel = ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        return try await buildApplication(configuration: configuration, logger: logger)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: requests

    /// A standard-format body.
    static func body(
        conversation: String, channel: String = "chat", customerId: String? = "u-42", email: String? = "ana@example.com",
        name: String = "Ana Ruiz", messageId: String, text: String, sentAt: String = "2026-11-23T10:00:00Z",
        attributes: [String: String] = ["tier": "gold", "language": "en"]
    ) -> [UInt8] {
        var customer: [String: Any] = ["name": name]
        customer["id"] = customerId
        customer["email"] = email
        let object: [String: Any] = [
            "conversation_id": conversation, "channel": channel, "customer": customer,
            "message": ["id": messageId, "text": text, "sent_at": sentAt], "attributes": attributes,
        ]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Signed headers for a body, as a platform would send them.
    func signedHeaders(
        _ body: [UInt8], id: String = "msg_\(UUID().uuidString)", timestamp: Int = Int(Date().timeIntervalSince1970),
        secret: WebhookSecret? = nil
    ) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in WebhookSigner(secret: secret ?? sourceSecret).headers(id: id, timestamp: timestamp, body: body) {
            fields[HTTPField.Name(name)!] = value
        }
        return fields
    }

    static var adminHeaders: HTTPFields {
        [.authorization: "Bearer \(adminToken)", .contentType: "application/json"]
    }
}

extension TestClientProtocol {
    /// Posts a signed webhook to `/v1/inbound/{source}`.
    func postInbound(
        _ environment: TestEnvironment, body: [UInt8], id: String = "msg_\(UUID().uuidString)", source: String = "web"
    ) async throws -> TestResponse {
        try await execute(
            uri: "/v1/inbound/\(source)", method: .post, headers: environment.signedHeaders(body, id: id),
            body: ByteBuffer(bytes: body))
    }

    /// An admin API call with the test token.
    func admin(_ uri: String, method: HTTPRequest.Method = .get, json: String? = nil) async throws -> TestResponse {
        try await execute(
            uri: uri, method: method, headers: TestEnvironment.adminHeaders, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]) ?? [:]
    }

    var text: String { String(buffer: body) }
}

extension DeskReceiver.Delivery {
    func value(_ path: String) -> Any? {
        var current: Any? = json
        for key in path.split(separator: ".") {
            if let index = Int(key), let list = current as? [Any] {
                current = index < list.count ? list[index] : nil
            } else {
                current = (current as? [String: Any])?[String(key)]
            }
        }
        return current
    }
}
