import Foundation
import HummingbirdTesting
import Testing

/// Durability across restarts: what was acknowledged is delivered, exactly once.
@Suite("Restart")
struct RestartTests {
    @Test("stopped before delivery, started again: the handoff is delivered exactly once")
    func deliveredOnceAfterRestart() async throws {
        // First run: the desk is down, so the handoff is stored but cannot be delivered.
        var environment = try TestEnvironment(agents: [
            "{id: ana, name: Ana, status: online, skills: {general: 3}, capacity: {chat: 2}, desk: {url: \"http://127.0.0.1:9/handoffs\", secret: \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}}"
        ])
        defer { environment.remove() }
        let first = environment
        try await first.application().test(.live) { client in
            let body = TestEnvironment.body(conversation: "c-1", messageId: "m-1", text: "my parcel is late")
            #expect(try await client.postInbound(first, body: body).status == .accepted)
            // Wait until it is routed (the decision is stored), then stop.
            for _ in 0..<100 {
                let agents = try await client.admin("/v1/agents")
                let load = ((agents.json["agents"] as? [[String: Any]])?.first?["load"] as? [String: Int])?["chat"]
                if load == 1 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        // Second run on the same store: the desk is up now (the agents file points at it).
        let desk = try await TestDesk.start()
        try environment.writeAgents([
            TestEnvironment.agent("ana", name: "Ana", skills: "{general: 3}", capacity: "{chat: 2}", desk: desk)
        ])
        environment.configuration.delivery.initialBackoffSeconds = 0.05
        try await environment.application().test(.live) { client in
            let deliveries = await desk.waitForDeliveries(1)
            try #require(deliveries.count == 1)
            #expect(deliveries[0].value("conversation.id") as? String != nil)
            #expect(deliveries[0].value("conversation.messages.0.text") as? String == "my parcel is late")
            // Nothing else arrives: the delivery is marked done, not repeated.
            try await Task.sleep(for: .seconds(1))
            #expect(desk.deliveries.count == 1)
        }

        // Third run: still exactly one.
        try await environment.application().test(.live) { _ in
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(desk.deliveries.count == 1)
        await desk.stop()
    }
}
