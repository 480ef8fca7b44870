import Foundation
import HummingbirdTesting
import SwitchboardConfig
import Testing

/// A `matrix` source against a real Synapse: the bot is invited to a customer's room, joins, its messages are
/// routed to a desk, and once the agent accepts the bot posts a notice naming them in the room.
@Suite("Matrix end to end", .serialized)
struct MatrixEndToEndTests {
    /// A test environment with the matrix source `chat` for `bot` (with its token, or with its password only).
    static func environment(synapse: Synapse, bot: Synapse.User, password: Bool = false, desk: TestDesk) throws
        -> TestEnvironment
    {
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{billing: 4, general: 3}", desk: desk)
        ])
        var source = SourceSettings(name: "chat", kind: .matrix, secret: "")
        source.homeserver = synapse.url
        source.user = bot.id
        source.joinFrom = ["@carla:\(Synapse.serverName)"]  // the customer who invites the bot in these tests
        if password { source.password = bot.password } else { source.accessToken = bot.token }
        environment.configuration.sources.append(source)
        return environment
    }

    static func isNotice(_ event: [String: Any]) -> Bool {
        event["type"] as? String == "m.room.message"
            && (event["content"] as? [String: Any])?["msgtype"] as? String == "m.notice"
    }

    @Test("an invitation is joined, the room's message routed, and on acceptance the notice names the agent")
    func routedAndNoticed() async throws {
        let synapse = try await Synapse.start()
        defer { synapse.stop() }
        let bot = try await synapse.register("switchboard")
        let carla = try await synapse.register("carla")
        let room = try await synapse.createRoom(carla, invite: [bot.id])
        let eventId = try await synapse.send(carla, room: room, "hello, my parcel has not arrived")
        let desk = try await TestDesk.start()
        let environment = try Self.environment(synapse: synapse, bot: bot, desk: desk)
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let handoff = try #require(await desk.waitForDeliveries(1, timeout: .seconds(30)).first)
            #expect(handoff.value("conversation.source") as? String == "chat")
            #expect(handoff.value("conversation.external_id") as? String == room)
            #expect(handoff.value("conversation.channel") as? String == "chat")
            #expect(handoff.value("conversation.messages.0.text") as? String == "hello, my parcel has not arrived")
            #expect(handoff.value("conversation.messages.0.id") as? String == eventId)
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(identities == ["chat:\(carla.id)"])
            #expect(try await synapse.messages(carla, room: room).filter(Self.isNotice).isEmpty, "no notice before acceptance")

            let handoffId = try #require(handoff.value("handoff_id") as? String)
            #expect(try await client.accept(handoffId).status == .ok)
            let notices = try await synapse.waitForEvents(carla, room: room, where: Self.isNotice)
            #expect(notices.count == 1)
            #expect(notices.first?["sender"] as? String == bot.id)
            #expect(
                (notices.first?["content"] as? [String: Any])?["body"] as? String
                    == "Ana Ruiz from billing has your conversation")
            // The bot's own notice is not taken as a message.
            try await Task.sleep(for: .milliseconds(500))
            let metrics = try await client.metrics()
            #expect(metrics.value("switchboard_polled_messages_total", ["source": "chat"]) == 1)
            #expect(metrics.value("switchboard_write_backs_done_total", ["source": "chat"]) == 1)
        }
        await desk.stop()
    }

    @Test("after a restart on the same store nothing is routed twice, and what came meanwhile is (password login)")
    func restartWithoutDuplicates() async throws {
        let synapse = try await Synapse.start()
        defer { synapse.stop() }
        let bot = try await synapse.register("switchboard")
        let carla = try await synapse.register("carla")
        let first = try await synapse.createRoom(carla, invite: [bot.id])
        try await synapse.send(carla, room: first, "hello, a question about my order")
        let desk = try await TestDesk.start()
        let environment = try Self.environment(synapse: synapse, bot: bot, password: true, desk: desk)
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let handoffs = await desk.waitForDeliveries(1, timeout: .seconds(30))
            #expect(handoffs.first?.value("conversation.external_id") as? String == first)
            let metrics = try await client.metrics()
            #expect(metrics.value("switchboard_polled_messages_total", ["source": "chat"]) == 1)
        }
        // While Switchboard is down: a new room and its message.
        let second = try await synapse.createRoom(carla, invite: [bot.id])
        try await synapse.send(carla, room: second, "hello again, a different question")
        try await environment.application().test(.live) { client in
            let handoffs = await desk.waitForDeliveries(2, timeout: .seconds(30))
            try #require(handoffs.count == 2)
            #expect(handoffs[1].value("conversation.external_id") as? String == second)
            #expect(handoffs[1].value("conversation.messages.0.text") as? String == "hello again, a different question")
            try await Task.sleep(for: .seconds(1))
            #expect(await desk.waitForDeliveries(3, timeout: .milliseconds(500)).count == 2, "the first room is not routed again")
            #expect(try await client.metrics().value("switchboard_polled_messages_total", ["source": "chat"]) == 1)
        }
        await desk.stop()
    }

    @Test("a refused access token is counted as a poll error and retried; the server keeps serving")
    func brokenCredential() async throws {
        let synapse = try await Synapse.start()
        defer { synapse.stop() }
        let bot = try await synapse.register("switchboard")
        var broken = bot
        broken.token = "syt_not_a_token"
        let desk = try await TestDesk.start()
        let environment = try Self.environment(synapse: synapse, bot: broken, desk: desk)
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let deadline = ContinuousClock.now + .seconds(10)
            var errors = 0.0
            while errors < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                errors = try await client.metrics().value("switchboard_poll_errors_total", ["source": "chat"]) ?? 0
            }
            #expect(errors >= 2, "the poll failed and was retried")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
        await desk.stop()
    }
}
