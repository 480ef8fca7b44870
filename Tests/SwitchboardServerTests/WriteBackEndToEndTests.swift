import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardConfig
import Testing

/// Write-back through real HTTP: a signed webhook in, a handoff at a real desk, the agent accepts, and a local
/// stand-in of the platform's REST API (Zendesk, Intercom, Front) receives the assignment over libcurl.
///
/// The conversations come in through a `standard` source whose `write_back` names the platform with `kind`,
/// so one signed body serves all three platforms. It is the same path a source of that kind takes: write-back
/// depends only on the source's `write_back`, the conversation's external id and the agent's `platform_ids`.
@Suite("Write-back end to end", .serialized)
struct WriteBackEndToEndTests {
    /// The platform's ids in each case: its conversation (our external id) and the agent on it.
    static func ids(_ kind: WriteBackKind) -> (conversation: String, agent: String) {
        switch kind {
        case .zendesk: ("4821", "12345")
        case .intercom: ("1911149811", "530165")
        case .front: ("cnv_55c8c149", "tea_abc")
        }
    }

    /// An agents-file entry with `platform_ids` for the source `web`, when given.
    static func agent(_ id: String, platformId: String?, status: String = "online", desk: TestDesk) -> String {
        let base = TestEnvironment.agent(id, name: id.capitalized, status: status, skills: "{general: 2}", desk: desk)
        guard let platformId else { return base }
        return String(base.dropLast()) + ", platform_ids: {web: \"\(platformId)\"}}"
    }

    /// A test environment whose source `web` writes back with `writeBack`.
    static func environment(agents: [String], writeBack: WriteBackSettings) throws -> TestEnvironment {
        var environment = try TestEnvironment(agents: agents)
        environment.configuration.sources[0].writeBack = writeBack
        return environment
    }

    /// Checks one request against what the platform's API reference says it must be.
    static func expectAssignment(_ request: TestPlatform.Received, kind: WriteBackKind, platform: TestPlatform) {
        let (conversation, agent) = ids(kind)
        #expect(request.authorization == TestPlatform.expectedAuthorization(kind, token: platform.token))
        #expect(request.headers[.contentType] == "application/json")
        switch kind {
        case .zendesk:
            #expect(request.method == "PUT")
            #expect(request.path == "/api/v2/tickets/\(conversation).json")
            #expect((request.json["ticket"] as? [String: Any])?["assignee_id"] as? Int == Int(agent))
        case .intercom:
            #expect(request.method == "POST")
            #expect(request.path == "/conversations/\(conversation)/parts")
            #expect(request.headers[HTTPField.Name("Intercom-Version")!] == "2.12")
            #expect(request.json["message_type"] as? String == "assignment")
            #expect(request.json["type"] as? String == "admin")
            #expect(request.json["assignee_id"] as? String == agent)
            #expect(request.json["admin_id"] as? String == agent)
        case .front:
            #expect(request.method == "PUT")
            #expect(request.path == "/conversations/\(conversation)/assignee")
            #expect(request.json as NSDictionary == ["assignee_id": agent] as NSDictionary)
        }
    }

    static func success(_ kind: WriteBackKind) -> Int { kind == .front ? 204 : 200 }

    // MARK: 1. the assignment reaches the platform

    @Test("accepting the offer tells the platform who took the conversation, once", arguments: WriteBackKind.allCases)
    func acceptTellsThePlatform(_ kind: WriteBackKind) async throws {
        let platform = try await TestPlatform.start(kind)
        let desk = try await TestDesk.start()
        let (conversation, agentId) = Self.ids(kind)
        let environment = try Self.environment(
            agents: [Self.agent("ana", platformId: agentId, desk: desk)], writeBack: platform.writeBack())
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, conversation, "Where is my parcel?")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            let handoffId = try #require(handoff.value("handoff_id") as? String)
            try await Task.sleep(for: .milliseconds(200))
            #expect(platform.requests.isEmpty, "an offer alone tells the platform nothing")

            #expect(try await client.accept(handoffId).status == .ok)
            let received = await platform.waitForRequests(1)
            let request = try #require(received.first)
            #expect(request.status == Self.success(kind))
            Self.expectAssignment(request, kind: kind, platform: platform)

            let metrics = try await client.waitForMetric("switchboard_write_backs_done_total", ["source": "web"], 1)
            #expect(metrics.value("switchboard_write_backs_pending") == 0)
            #expect(metrics.value("switchboard_write_backs_failed_total", ["source": "web"]) == nil)
            // Accepting again changes nothing: no second write-back.
            #expect(try await client.accept(handoffId).status == .ok)
            try await Task.sleep(for: .milliseconds(300))
            #expect(platform.requests.count == 1)
        }
        await desk.stop()
        await platform.stop()
    }

    // MARK: 2. a failing platform

    @Test(
        "a failing platform (500, then 200): the write-back is retried until it is taken, and handoffs reach the desk meanwhile",
        arguments: WriteBackKind.allCases)
    func failingPlatformIsRetried(_ kind: WriteBackKind) async throws {
        let platform = try await TestPlatform.start(kind)
        let desk = try await TestDesk.start()
        let (conversation, agentId) = Self.ids(kind)
        let environment = try Self.environment(
            agents: [Self.agent("ana", platformId: agentId, desk: desk)], writeBack: platform.writeBack())
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            platform.setFailing(true)
            try await client.send(environment, conversation, "My parcel never came")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            #expect(try await client.accept(try #require(handoff.value("handoff_id") as? String)).status == .ok)
            #expect(await platform.waitForRequests(2, status: 500).count >= 2, "retried after a 500")

            // While the platform keeps failing, a new conversation's handoff and a follow-up reach the desk.
            try await client.send(environment, "other-1", "Can I change my address?")
            try await client.send(environment, conversation, "Any news?", id: "m-2")
            let deliveries = await desk.waitForDeliveries(3)
            #expect(deliveries.count == 3)
            #expect(
                deliveries.dropFirst().compactMap { $0.value("kind") as? String }.sorted() == ["handoff", "message"])
            #expect(platform.requests.allSatisfy { $0.status == 500 }, "the desk got them while the platform failed")
            let failing = try await client.metrics()
            #expect(failing.value("switchboard_write_backs_pending") == 1)
            #expect((failing.value("switchboard_write_backs_failed_total", ["source": "web"]) ?? 0) >= 2)
            #expect(failing.value("switchboard_write_backs_done_total", ["source": "web"]) == nil)

            platform.setFailing(false)
            let taken = await platform.waitForRequests(1, status: Self.success(kind))
            #expect(taken.count == 1)
            let metrics = try await client.waitForMetric("switchboard_write_backs_done_total", ["source": "web"], 1)
            #expect(metrics.value("switchboard_write_backs_pending") == 0)
            #expect(metrics.value("switchboard_write_backs_given_up_total", ["source": "web"]) == nil)
            // Every attempt was the same request.
            for request in platform.requests { Self.expectAssignment(request, kind: kind, platform: platform) }
        }
        await desk.stop()
        await platform.stop()
    }

    // MARK: 3. wrong credentials

    @Test(
        "wrong credentials: the platform answers 401 and the write-back is retried, not given up",
        arguments: WriteBackKind.allCases)
    func wrongCredentials(_ kind: WriteBackKind) async throws {
        let platform = try await TestPlatform.start(kind)
        let desk = try await TestDesk.start()
        let (conversation, agentId) = Self.ids(kind)
        let environment = try Self.environment(
            agents: [Self.agent("ana", platformId: agentId, desk: desk)],
            writeBack: platform.writeBack(token: "not-the-token"))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, conversation, "Hello?")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            #expect(try await client.accept(try #require(handoff.value("handoff_id") as? String)).status == .ok)
            #expect(await platform.waitForRequests(2, status: 401).count >= 2)
            let metrics = try await client.metrics()
            #expect(metrics.value("switchboard_write_backs_pending") == 1)
            #expect(metrics.value("switchboard_write_backs_given_up_total", ["source": "web"]) == nil)
        }
        await desk.stop()
        await platform.stop()
    }

    // MARK: 4. an agent without an id on the platform

    @Test("an agent without an id on the platform: nothing is sent, the write-back is skipped once")
    func agentWithoutPlatformId() async throws {
        let platform = try await TestPlatform.start(.front)
        let desk = try await TestDesk.start()
        let environment = try Self.environment(
            agents: [Self.agent("ana", platformId: nil, desk: desk)], writeBack: platform.writeBack())
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "cnv_1", "Hi")
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            #expect(try await client.accept(try #require(handoff.value("handoff_id") as? String)).status == .ok)
            let metrics = try await client.waitForMetric(
                "switchboard_write_backs_skipped_total", ["source": "web", "reason": "no_platform_id"], 1)
            #expect(metrics.value("switchboard_write_backs_pending") == 0)
            try await Task.sleep(for: .milliseconds(300))
            #expect(platform.requests.isEmpty)
        }
        await desk.stop()
        await platform.stop()
    }

    // MARK: 5. a transfer

    @Test("after a transfer, the platform names the agent who accepted last")
    func transferNamesTheLastAgent() async throws {
        let platform = try await TestPlatform.start(.intercom)
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try Self.environment(
            agents: [
                Self.agent("ana", platformId: "111", desk: ana),
                Self.agent("ben", platformId: "222", status: "away", desk: ben),
            ], writeBack: platform.writeBack())
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "1911149811", "Please help")
            let handoff = try #require(await ana.waitForDeliveries(1).first)
            #expect(try await client.accept(try #require(handoff.value("handoff_id") as? String)).status == .ok)
            #expect(await platform.waitForRequests(1, status: 200).count == 1)
            #expect(try await client.presence("ben", "online").status == .ok)
            let conversationId = try #require(handoff.value("conversation.id") as? String)
            #expect(try await client.transfer(conversationId, ["agent": "ben"]).status == .ok)
            let moved = try #require(await ben.waitForDeliveries(1).first)
            #expect(try await client.accept(try #require(moved.value("handoff_id") as? String)).status == .ok)
            let received = await platform.waitForRequests(2, status: 200)
            #expect(received.map { $0.json["assignee_id"] as? String } == ["111", "222"])
        }
        await ana.stop()
        await ben.stop()
        await platform.stop()
    }
}

extension TestClientProtocol {
    /// Scrapes `/metrics` until `name{labels}` reaches `value` (or the timeout passes); returns the last scrape.
    func waitForMetric(
        _ name: String, _ labels: [String: String], _ value: Double, timeout: Duration = .seconds(10)
    ) async throws -> PrometheusText {
        let deadline = ContinuousClock.now + timeout
        var metrics = try await self.metrics()
        while metrics.value(name, labels) != value, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(25))
            metrics = try await self.metrics()
        }
        #expect(metrics.value(name, labels) == value, "\(name)\(labels)")
        // A scrape reads the pending count before it prints the counters, so the scrape that first shows a counter
        // may have counted that write-back as pending a moment before it ended. The next scrape cannot.
        return try await self.metrics()
    }
}
