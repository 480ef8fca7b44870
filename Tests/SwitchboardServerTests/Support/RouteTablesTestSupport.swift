import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore
import Testing

extension TestEnvironment {
    /// How the audit trail names the test admin token.
    static var adminTokenFingerprint: String {
        SHA256.hash(data: Array(adminToken.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}

extension TestClientProtocol {
    /// `PUT /v1/routes/draft` with YAML.
    func putDraft(_ yaml: String, file: String? = nil) async throws -> TestResponse {
        try await execute(
            uri: "/v1/routes/draft" + (file.map { "?file=\($0)" } ?? ""), method: .put,
            headers: [.authorization: "Bearer \(TestEnvironment.adminToken)", .contentType: "application/yaml"],
            body: ByteBuffer(string: yaml))
    }

    /// `POST /v1/routes/simulate` with an inbound body.
    func simulate(_ body: [UInt8], table: String? = nil, source: String? = nil) async throws -> TestResponse {
        let query = [table.map { "table=\($0)" }, source.map { "source=\($0)" }].compactMap { $0 }
        return try await execute(
            uri: "/v1/routes/simulate" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), method: .post,
            headers: TestEnvironment.adminHeaders, body: ByteBuffer(bytes: body))
    }

    /// `GET /v1/routes` once it shows `version` (for changes the routes directory's watcher loads).
    func waitForVersion(_ version: Int, timeout: Duration = .seconds(5)) async throws -> TestResponse {
        let deadline = ContinuousClock.now + timeout
        var response = try await admin("/v1/routes")
        while response.json["version"] as? Int != version, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            response = try await admin("/v1/routes")
        }
        #expect(response.json["version"] as? Int == version)
        return response
    }
}
