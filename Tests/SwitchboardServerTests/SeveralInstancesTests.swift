import Foundation
import Synchronization
import Testing
import TestPostgres

/// Several instances on one PostgreSQL database under concurrent load: webhooks to any instance, agents
/// accepting and resolving through any instance, presence changing through any instance. Afterwards the
/// database is checked: every conversation was held by one agent at a time, no agent ever held more than
/// their capacity, and every event is there exactly once.
@Suite("Several instances", .serialized)
struct SeveralInstancesTests {
    static let conversations = 120
    static let agentIds = ["a1", "a2", "a3", "a4"]
    static let capacity = 2

    @Test("three instances under load: one agent at a time per conversation, never over capacity, no event lost or doubled")
    func load() async throws {
        let url = try await PostgresCluster.shared().database()
        var started: [String: TestDesk] = [:]
        for id in Self.agentIds { started[id] = try await TestDesk.start() }
        let desks = started
        let environment = try TestEnvironment(
            agents: Self.agentIds.map {
                TestEnvironment.agent(
                    $0, name: "Agent \($0)", skills: "{general: 3}", capacity: "{chat: \(Self.capacity)}", desk: desks[$0])
            })
        defer { environment.remove() }
        let instances = try await Instances.start(3, database: url, environment: environment)
        let database = try Database(url: url)
        defer { database.close() }

        // Agents on their desks: accept every new offer through some instance, resolve it a moment later
        // through another. Offers withdrawn meanwhile (the agent went offline) answer 409.
        let handled = HandledHandoffs()
        let agentsAtWork = Task {
            var round = 0
            while !Task.isCancelled {
                round += 1
                for (id, desk) in desks {
                    for delivery in desk.deliveries where delivery.value("kind") as? String == "handoff" {
                        guard let handoff = delivery.value("handoff_id") as? String,
                            let conversation = delivery.value("conversation.id") as? String,
                            handled.claim(handoff)
                        else { continue }
                        let accepted = try await instances.admin(round, "/v1/handoffs/\(handoff)/accept", method: "POST")
                        guard accepted.status == 200 else { continue }
                        try await instances.admin(
                            round + 1, "/v1/conversations/\(conversation)/resolve", method: "POST",
                            json: #"{"outcome": "answered", "notes": "by \#(id)"}"#)
                    }
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        // Presence changing through any instance while the load runs.
        let presence = Task {
            var step = 0
            while !Task.isCancelled, step < 40 {
                let agent = Self.agentIds[step % Self.agentIds.count]
                try await instances.admin(step, "/v1/agents/\(agent)/presence", method: "POST", json: #"{"status": "offline"}"#)
                try await Task.sleep(for: .milliseconds(60))
                try await instances.admin(step + 1, "/v1/agents/\(agent)/presence", method: "POST", json: #"{"status": "online"}"#)
                step += 1
                try await Task.sleep(for: .milliseconds(40))
            }
        }

        // Customers write to any instance, eight at a time; some platforms retry through another instance.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slot in 0..<8 {
                group.addTask {
                    for number in stride(from: slot, to: Self.conversations, by: 8) {
                        let body = TestEnvironment.body(
                            conversation: "conv-\(number)", customerId: "u-\(number)", email: "c\(number)@example.com",
                            messageId: "m-\(number)", text: "my parcel is late (\(number))")
                        let status = try await instances.postInbound(number, body: body, id: "wh-\(number)")
                        #expect(status == 202, "webhook \(number)")
                        if number % 10 == 0 {
                            let again = try await instances.postInbound(number + 1, body: body, id: "wh-\(number)")
                            #expect(again == 200, "a retried webhook is a duplicate on any instance")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let deadline = ContinuousClock.now + .seconds(90)
        var resolved = 0
        while resolved < Self.conversations, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            resolved = try await database.count("SELECT count(*) FROM conversations WHERE status = 'resolved'")
        }
        presence.cancel()
        agentsAtWork.cancel()
        _ = await presence.result
        _ = await agentsAtWork.result
        await instances.stop()

        #expect(resolved == Self.conversations, "every conversation reached an agent and was resolved")
        // Every event once: the log, the messages, the conversations; the router's cursor at the end of the log.
        #expect(try await database.count("SELECT count(*) FROM inbound_events") == Self.conversations)
        #expect(try await database.count("SELECT count(*) FROM messages") == Self.conversations)
        #expect(try await database.count("SELECT count(DISTINCT external_id) FROM conversations") == Self.conversations)
        #expect(
            try await database.count("SELECT position FROM cursors WHERE name = 'router'")
                == database.count("SELECT max(seq) FROM inbound_events"))
        // One agent at a time per conversation: no two of its assignments overlap in time.
        let doubles = try await database.count(
            """
            SELECT count(*) FROM assignments a JOIN assignments b
              ON a.conversation_id = b.conversation_id AND a.handoff_id < b.handoff_id
            WHERE a.assigned_at < COALESCE(b.released_at, 1e12) AND b.assigned_at < COALESCE(a.released_at, 1e12)
            """)
        #expect(doubles == 0, "conversations held by two agents at once")
        // Never over capacity: at the start of each assignment, the agent's open assignments on that channel.
        let busiest = try await database.count(
            """
            SELECT COALESCE(max(n), 0) FROM (
              SELECT count(*) AS n FROM assignments a JOIN assignments b
                ON a.agent_id = b.agent_id AND a.channel = b.channel
              WHERE b.assigned_at <= a.assigned_at AND COALESCE(b.released_at, 1e12) > a.assigned_at
              GROUP BY a.handoff_id) AS load
            """)
        #expect(busiest <= Self.capacity, "an agent held \(busiest) chats at once; capacity \(Self.capacity)")
        #expect(busiest >= 1)
        // Each handoff reached its desk once.
        let repeats = desks.values.map { $0.receiver.repeats.withLock { $0 } }.reduce(0, +)
        #expect(repeats == 0, "deliveries sent twice")
        let handoffs = desks.values.flatMap(\.deliveries).filter { $0.value("kind") as? String == "handoff" }.count
        #expect(handoffs == (try await database.count("SELECT count(*) FROM assignments")))
        for desk in desks.values { await desk.stop() }
    }
}

/// The handoffs some desk already answered.
final class HandledHandoffs: Sendable {
    private let ids = Mutex<Set<String>>([])

    /// True the first time.
    func claim(_ id: String) -> Bool { ids.withLock { $0.insert(id).inserted } }
}
