import Curl
import Foundation
import Synchronization
import Testing
import TestSupport

/// Several instances on one PostgreSQL database under concurrent load: webhooks to any instance, agents
/// accepting and resolving through any instance, presence changing through any instance. While it runs,
/// every committed state the database shows has each conversation with one agent at most and no agent over
/// capacity (the timestamps of different instances are not compared: each takes its time before it waits
/// for the lock); afterwards every event is there exactly once and every handoff reached its desk once.
@Suite("Several instances", .serialized)
struct SeveralInstancesTests {
    static let conversations = 240
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
                        // A call that gets no answer (the client's 10 s limit, on a loaded machine) is tried again
                        // in the next round, as a desk integration would; each one is counted and reported.
                        do {
                            let accepted = try await instances.admin(round, "/v1/handoffs/\(handoff)/accept", method: "POST")
                            guard accepted.status == 200 else { continue }
                            let resolved = try await instances.admin(
                                round + 1, "/v1/conversations/\(conversation)/resolve", method: "POST",
                                json: #"{"outcome": "answered", "notes": "by \#(id)"}"#)
                            if resolved.status != 200 { handled.note("resolve \(conversation): \(resolved.status) \(resolved.body)") }
                        } catch {
                            handled.note("\(handoff): \(error)")
                            handled.release(handoff)
                        }
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

        // What the database shows while the load runs: every look is one committed state, across instances.
        let watching = Mutex(true)
        let watch = Task {
            var observed = (samples: 0, holders: 0, load: 0)
            while watching.withLock({ $0 }) {
                observed.samples += 1
                observed.holders = max(
                    observed.holders,
                    try await database.count(
                        """
                        SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM assignments
                          WHERE released_at IS NULL GROUP BY conversation_id) AS held
                        """))
                observed.load = max(
                    observed.load,
                    try await database.count(
                        """
                        SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM assignments
                          WHERE released_at IS NULL GROUP BY agent_id, channel) AS load
                        """))
                try await Task.sleep(for: .milliseconds(10))
            }
            return observed
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
        watching.withLock { $0 = false }
        let watched = try await watch.value
        presence.cancel()
        agentsAtWork.cancel()
        _ = await presence.result
        _ = await agentsAtWork.result
        // Each instance kept up with the others by catching up on what they changed; it rebuilt its engine only
        // when another instance started (loading the agents moves the version on without a record of changes).
        var engines: [(peer: Double, catchUps: Double)] = []
        for index in 0..<3 {
            let text = try PrometheusText(try await instances.admin(index, "/metrics").body)
            engines.append(
                (
                    text.value("switchboard_engine_rebuilds_total", ["reason": "peer"]) ?? 0,
                    text.value("switchboard_engine_catch_ups_total", [:]) ?? 0
                ))
        }
        await instances.stop()
        #expect(engines.allSatisfy { $0.peer <= 2 }, "peer rebuilds beyond the other instances' start: \(engines)")
        #expect(engines.allSatisfy { $0.catchUps >= 1 }, "catch-ups: \(engines)")

        let problems = handled.problems.withLock { $0 }
        #expect(
            resolved == Self.conversations,
            "every conversation reached an agent and was resolved; the agents met \(problems.count) problems: \(problems.prefix(5))")
        // Every event once: the log, the messages, the conversations; the router's cursor at the end of the log.
        #expect(try await database.count("SELECT count(*) FROM inbound_events") == Self.conversations)
        #expect(try await database.count("SELECT count(*) FROM messages") == Self.conversations)
        #expect(try await database.count("SELECT count(DISTINCT external_id) FROM conversations") == Self.conversations)
        #expect(
            try await database.count("SELECT position FROM cursors WHERE name = 'router'")
                == database.count("SELECT max(seq) FROM inbound_events"))
        // One agent at a time per conversation, never over capacity: what every committed state showed.
        let observed = watched
        #expect(observed.samples > 20, "the database was looked at \(observed.samples) times during the load")
        #expect(observed.holders == 1, "a conversation was held by \(observed.holders) agents at once")
        #expect(observed.load <= Self.capacity, "an agent held \(observed.load) chats at once; capacity \(Self.capacity)")
        #expect(observed.load >= 1)
        // Each handoff reached its desk once.
        let repeats = desks.values.map { $0.receiver.repeats.withLock { $0 } }.reduce(0, +)
        #expect(repeats == 0, "deliveries sent twice")
        let handoffs = desks.values.flatMap(\.deliveries).filter { $0.value("kind") as? String == "handoff" }.count
        #expect(handoffs == (try await database.count("SELECT count(*) FROM assignments")))
        for desk in desks.values { await desk.stop() }
    }
}

extension SeveralInstancesTests {
    @Test("a table published through one instance is in force on the others within their reload interval")
    func publishedElsewhere() async throws {
        let url = try await PostgresCluster.shared().database()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: nil)
        ])
        defer { environment.remove() }
        let instances = try await Instances.start(2, database: url, environment: environment)
        let strict = TestEnvironment.routes.replacingOccurrences(of: "general: 1", with: "general: 4")
        var request = CurlRequest(
            method: "PUT", url: instances.base(0) + "/v1/routes/draft", body: Array(strict.utf8))
        request.headers.append(HTTPHeader("Authorization", "Bearer \(TestEnvironment.adminToken)"))
        #expect(try await instances.client.execute(request).status == 200)
        #expect(try await instances.admin(0, "/v1/routes/draft/publish", method: "POST").status == 200)

        // The other instance: its reload interval is 0.2 s in these tests.
        let body = String(
            decoding: TestEnvironment.body(conversation: "p-1", messageId: "m-1", text: "my parcel is late"), as: UTF8.self)
        let deadline = ContinuousClock.now + .seconds(5)
        var simulated = ""
        while ContinuousClock.now < deadline {
            simulated = try await instances.admin(1, "/v1/routes/simulate", method: "POST", json: body).body
            if simulated.contains("\"general\":4") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(simulated.contains("\"general\":4"), "instance 1 still routes on the old table: \(simulated)")
        #expect(try await instances.admin(1, "/v1/routes").body.contains("\"version\":2"))
        await instances.stop()
    }
}

/// The handoffs some desk already answered.
final class HandledHandoffs: Sendable {
    private let ids = Mutex<Set<String>>([])

    /// What went wrong on the way, for the failure message.
    let problems = Mutex<[String]>([])

    /// True the first time.
    func claim(_ id: String) -> Bool { ids.withLock { $0.insert(id).inserted } }

    /// The handoff is to be handled again.
    func release(_ id: String) { _ = ids.withLock { $0.remove(id) } }

    func note(_ problem: String) { problems.withLock { $0.append(problem) } }
}
