import Foundation
import Testing
import TestSupport

extension SeveralInstancesTests {
    /// One instance on PostgreSQL, its routing transactions running into each other (the router applying
    /// webhooks while presence changes come through the API): each finds the engine at the version it reads,
    /// so nothing is rebuilt but at start. Before, a transaction waiting for the lock could read the version
    /// its predecessor of the same process had just committed before that one noted it, and rebuild the whole
    /// engine for nothing (27 rebuilds in 10 s of the whole-path benchmark on one instance). 120 requests at once:
    /// with 240 a debug build took up to 11 s, past the test client's 10 s timeout.
    @Test("one instance under concurrent routing transactions rebuilds its engine only at start")
    func noRebuildsOfItsOwnChanges() async throws {
        let url = try await PostgresCluster.shared().database()
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana", skills: "{general: 3}", capacity: "{chat: 100}", desk: desk),
            TestEnvironment.agent("ben", name: "Ben", skills: "{general: 2}", capacity: "{chat: 100}", desk: desk),
        ])
        defer { environment.remove() }
        let instances = try await Instances.start(1, database: url, environment: environment)
        let (webhooks, presenceChanges) = (80, 40)

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<webhooks {
                group.addTask {
                    let body = TestEnvironment.body(
                        conversation: "rebuild-\(index)", customerId: "u-rebuild-\(index)", messageId: "m-1", text: "hi")
                    return try await instances.postInbound(0, body: body, id: "wh-rebuild-\(index)")
                }
            }
            for index in 0..<presenceChanges {
                group.addTask {
                    let status = index % 2 == 0 ? "away" : "online"
                    return try await instances.admin(
                        0, "/v1/agents/ben/presence", method: "POST", json: #"{"status": "\#(status)"}"#
                    ).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 202 }.count == webhooks)
        #expect(statuses.filter { $0 == 200 }.count == presenceChanges, "\(statuses.filter { $0 != 202 })")
        _ = await desk.waitForDeliveries(webhooks)

        let metrics = try await instances.admin(0, "/metrics")
        let text = try PrometheusText(metrics.body)
        await instances.stop()
        await desk.stop()
        #expect(text.value("switchboard_engine_rebuilds_total", ["reason": "start"]) == 1)
        for reason in ["peer", "failure"] {
            #expect(
                (text.value("switchboard_engine_rebuilds_total", ["reason": reason]) ?? 0) == 0,
                "rebuilt for \(reason): \(metrics.body.split(separator: "\n").filter { $0.contains("rebuilds") })")
        }
    }
}
