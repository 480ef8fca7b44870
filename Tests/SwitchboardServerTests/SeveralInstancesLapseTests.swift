import Foundation
import Testing
import TestSupport

extension SeveralInstancesTests {
    /// While another instance keeps changing the routing state (new conversations every 100 ms, each a
    /// reason for the others to catch up), an offer nobody answers still lapses at its deadline.
    @Test("an unanswered offer lapses on time while another instance keeps routing")
    func lapseUnderPeerTraffic() async throws {
        let url = try await PostgresCluster.shared().database()
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", capacity: "{chat: 1}", desk: desk)
        ])
        defer { environment.remove() }
        let routes = TestEnvironment.routes.replacingOccurrences(
            of: "  - name: general\n", with: "  - name: general\n    offer_timeout: 3s\n")
        #expect(routes.contains("offer_timeout: 3s"))
        try routes.write(toFile: environment.configuration.routes + "/support.yaml", atomically: true, encoding: .utf8)
        let instances = try await Instances.start(2, database: url, environment: environment)

        do {
            try await Self.expectLapse(instances: instances, desk: desk)
        } catch {
            await instances.stop()
            throw error
        }
        await instances.stop()
    }

    private static func expectLapse(instances: Instances, desk: TestDesk) async throws {
        let first = TestEnvironment.body(conversation: "lapse-1", customerId: "u-lapse", messageId: "m-1", text: "hello")
        #expect(try await instances.postInbound(0, body: first, id: "wh-lapse-1") == 202)
        let offered = await desk.waitForDeliveries(1)
        let offeredAt = ContinuousClock.now
        let handoff = try #require(offered.first?.value("handoff_id") as? String)

        // Another instance routes new conversations all along: they wait, since Ana's one slot is held.
        let traffic = Task {
            var index = 0
            while !Task.isCancelled {
                index += 1
                let body = TestEnvironment.body(
                    conversation: "busy-\(index)", customerId: "u-busy-\(index)", messageId: "m-\(index)", text: "hi")
                _ = try? await instances.postInbound(1, body: body, id: "wh-busy-\(index)")
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { traffic.cancel() }

        let deadline = ContinuousClock.now + .seconds(12)
        var lapsedAt: ContinuousClock.Instant?
        while ContinuousClock.now < deadline, lapsedAt == nil {
            if desk.deliveries.contains(where: {
                $0.value("kind") as? String == "released" && $0.value("handoff_id") as? String == handoff
                    && $0.value("reason") as? String == "lapsed"
            }) {
                lapsedAt = ContinuousClock.now
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        traffic.cancel()
        let seen = desk.deliveries.map { "\($0.value("kind") ?? "?") \($0.value("handoff_id") ?? "?") \($0.value("reason") ?? "")" }
        let lapsed = try #require(
            lapsedAt, "the offer \(handoff) never lapsed while the other instance kept routing; the desk got \(seen)")
        // Its timeout is 3 s; a tick comes within a second of it, and the notice is delivered right after.
        #expect(lapsed - offeredAt < .seconds(6), "lapsed after \(lapsed - offeredAt)")
        #expect(lapsed - offeredAt > .seconds(2))
    }
}
