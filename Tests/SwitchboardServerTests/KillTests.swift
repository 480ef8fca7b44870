import Curl
import Foundation
import HummingbirdTesting
import StandardWebhooks
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A 202 is a promise: the event is on disk before the answer leaves. This runs the real
/// `switchboard serve` binary, kills it with SIGKILL right after the last acknowledgement, and
/// checks on a fresh server that every acknowledged webhook id is known (answered as a duplicate).
@Suite("Kill -9")
struct KillTests {
    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/switchboard").path
    }

    @Test("every webhook acknowledged before a kill -9 is still there after it")
    func acknowledgedSurvivesKill() async throws {
        // `swift test` builds the executable along with the tests.
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary), "\(Self.binary) is missing: run swift build first")
        var environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        let port = try FreePort.find()
        let configPath = environment.directory.appendingPathComponent("switchboard.yaml").path
        try """
            server: {host: 127.0.0.1, port: \(port)}
            storage: {sqlite: "\(environment.configuration.storage.sqlite)"}
            routes: "\(environment.configuration.routes)"
            agents: "\(environment.configuration.agents)"
            admin_tokens: ["\(TestEnvironment.adminToken)"]
            log_level: error
            sources:
              - {name: web, kind: standard, secret: "\(environment.sourceSecret.stringValue)"}
            """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let process = try SpawnedProcess.start(Self.binary, ["serve", "--config", configPath])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let client = CurlClient()
        defer { client.shutdown() }
        let base = "http://127.0.0.1:\(port)"
        var up = false
        for _ in 0..<300 where !up {
            up = (try? await client.execute(CurlRequest(url: "\(base)/health")))?.status == 200
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(up, "switchboard serve did not start")

        let count = 300
        let bodies = (0..<count).map {
            TestEnvironment.body(conversation: "k-\($0 % 40)", customerId: "u-\($0 % 25)", messageId: "m-\($0)", text: "message \($0)")
        }
        let signing = environment
        let acknowledged = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<count {
                group.addTask {
                    let headers = signing.signedHeaders(bodies[index], id: "kill-\(index)")
                    let request = CurlRequest(
                        method: "POST", url: "\(base)/v1/inbound/web",
                        headers: headers.map { HTTPHeader($0.name.rawName, $0.value) }, body: bodies[index])
                    let response = try? await client.execute(request)
                    return response?.status == 202 ? index : nil
                }
            }
            var acknowledged: [Int] = []
            for try await index in group {
                if let index { acknowledged.append(index) }
                // Kill mid-load: as soon as two thirds are acknowledged, while the rest are in flight.
                if acknowledged.count == count * 2 / 3 { kill(process.processIdentifier, SIGKILL) }
            }
            return acknowledged
        }
        await process.exit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(acknowledged.count >= count * 2 / 3)

        // A fresh server on the same store knows every acknowledged id.
        environment.configuration.server.port = 0
        let restarted = environment
        try await restarted.application().test(.live) { client in
            for index in acknowledged {
                let response = try await client.postInbound(restarted, body: bodies[index], id: "kill-\(index)")
                #expect(response.status == .ok, "kill-\(index) was acknowledged but is not in the store")
            }
        }
    }
}
