import Foundation
import HummingbirdTesting
import Testing

/// The /admin page in a real headless chromium (Debian's, driven by Debian's chromedriver through
/// selenium): Tests/admin/admin_page.py signs in, breaks the draft and sees the error, fixes it,
/// simulates, replays, simulates a day, publishes, rolls back and signs out, asserting what the page shows at each
/// step and saving a screenshot of each under test-artifacts/admin/.
@Suite("Admin page in a browser")
struct AdminPageTests {
    static let script = SchemaValidator.packageRoot.appendingPathComponent("Tests/admin/admin_page.py")
    static let artifacts = SchemaValidator.packageRoot.appendingPathComponent("test-artifacts/admin")

    @Test(
        "an admin signs in, sees a draft's error at its line and column, fixes it, simulates, replays, publishes and rolls back"
    )
    func browser() async throws {
        for program in ["/usr/bin/chromedriver", "/usr/bin/chromium"]
        where !FileManager.default.isExecutableFile(atPath: program) {
            throw TestFailure("\(program) is missing: `make test` installs chromium and chromium-driver")
        }
        let python = try SchemaValidator.python()
        try? FileManager.default.removeItem(at: Self.artifacts)
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)

        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        var setUp = try TestEnvironment(agents: RouteTablesEndToEndTests.agents(ana: ana, ben: ben))
        // The shipped scenario with a tenth of its conversations: the page's day runs on a debug build here.
        let shipped = try String(
            contentsOf: SchemaValidator.packageRoot.appendingPathComponent("Config/scenarios/retail-day.yaml"), encoding: .utf8)
        let scenario = setUp.directory.appendingPathComponent("day.yaml")
        try shipped.replacingOccurrences(of: "conversations: 50000", with: "conversations: 5000")
            .write(to: scenario, atomically: true, encoding: .utf8)
        setUp.configuration.admin.scenario = scenario.path
        let environment = setUp
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let port = try #require(client.port)
            // One conversation routed (for the replay), one waiting: nobody takes sms (for the live queue).
            let routed = try await client.postInbound(
                environment,
                body: TestEnvironment.body(conversation: "parcel-1", messageId: "m-1", text: "my parcel is late"))
            #expect(routed.status == .accepted)
            let waiting = try await client.postInbound(
                environment,
                body: TestEnvironment.body(
                    conversation: "sms-1", channel: "sms", customerId: "u-7", email: "lee@example.com",
                    messageId: "m-2",
                    text: "my parcel is late too"))
            #expect(waiting.status == .accepted)
            _ = await ana.waitForDeliveries(1, timeout: .seconds(5))
            try await waitUntilQueued(client, count: 1)

            let started = ContinuousClock.now
            let result = try await ChildProcess.run(
                python,
                [
                    Self.script.path, "http://127.0.0.1:\(port)", TestEnvironment.adminToken, Self.artifacts.path,
                    "--queued-channel", "sms", "--replayed-text", "my parcel is late",
                ],
                in: environment.directory)
            let elapsed = ContinuousClock.now - started
            #expect(
                result.exitedNormally && result.status == 0,
                "the browser test failed (status \(result.status), \(elapsed)):\n\(result.output)")
            let screenshots = try FileManager.default.contentsOfDirectory(atPath: Self.artifacts.path).filter {
                $0.hasSuffix(".png")
            }
            #expect(screenshots.count >= 10, "screenshots: \(screenshots.sorted())")
        }
        await ana.stop()
        await ben.stop()
    }

    /// Waits until the page's live queue counts `count` waiting (the router applies inbound events on its own loop).
    private func waitUntilQueued(_ client: some TestClientProtocol, count: Int) async throws {
        let session = try await client.adminSignIn()
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await client.adminPage(session).text.contains("(\(count) waiting)") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("the live queue never showed \(count) waiting")
    }
}
