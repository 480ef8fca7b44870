import Foundation
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardStore
import Testing

/// Deliveries and write-backs with several instances sending: each is claimed by one instance, which
/// keeps it until it settles it or its claim runs out.
@Suite("PostgreSQL claims across instances")
struct PostgresClaimTests {
    static let now = StoreBehaviourTests.now

    static func at(_ seconds: Double) -> Date { now.addingTimeInterval(seconds) }

    @Test("two instances sending at once never take the same delivery, and a handoff's deliveries still go in order")
    func concurrentSenders() async throws {
        let instances = try await PostgresInstances(2)
        try await instances.agent(StoreBehaviourTests.agent("ana"))
        for index in 0..<120 {
            try await instances.delivery("d-\(index)", handoff: "h-\(index)", due: Self.at(Double(index % 7) - 10))
        }
        try await instances.delivery("ordered-1", handoff: "h-ordered", due: Self.at(-5))
        try await instances.delivery("ordered-2", handoff: "h-ordered", due: Self.at(-60))

        // Each instance does what its delivery service does: take what is due, send it, settle it.
        let log = Recorder<(instance: String, event: String, id: String)>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in instances.stores {
                group.addTask {
                    var rounds = 0
                    while try await store.nextDeliveryDue() != nil, rounds < 500 {
                        rounds += 1
                        let due = try await store.dueDeliveries(now: Self.now, limit: 8)
                        log.record(due.map { (store.instance, "claimed", $0.id) })
                        for delivery in due {
                            #expect(delivery.desk == StoreBehaviourTests.desk)
                            // Logged before it is settled: nothing that waits for it can be claimed before.
                            log.record((store.instance, "delivered", delivery.id))
                            try await store.markDelivered(id: delivery.id, at: Self.now)
                        }
                        if due.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
            }
            try await group.waitForAll()
        }

        let entries = log.all
        let claimed = entries.filter { $0.event == "claimed" }.map(\.id)
        #expect(claimed.count == 122, "each delivery claimed once, by one instance")
        #expect(Set(claimed).count == 122)
        let firstDelivered = try #require(entries.firstIndex { $0.event == "delivered" && $0.id == "ordered-1" })
        let secondClaimed = try #require(entries.firstIndex { $0.event == "claimed" && $0.id == "ordered-2" })
        #expect(
            firstDelivered < secondClaimed, "a handoff's later delivery waits for the earlier one, though due before it"
        )
    }

    @Test("a claim keeps other instances off until it runs out or is settled; the claimer may take it again")
    func claimLifecycle() async throws {
        let instances = try await PostgresInstances(2)
        let (a, b) = (instances.stores[0], instances.stores[1])
        try await instances.agent(StoreBehaviourTests.agent("ana"))
        try await instances.delivery("d-1", handoff: "h-1", due: Self.at(-30))
        try await instances.delivery("d-2", handoff: "h-2", due: Self.at(-20))
        try await instances.delivery("d-3", handoff: "h-3", agent: "gone", due: Self.at(-10))
        try await instances.delivery("d-1-next", handoff: "h-1", due: Self.at(-40))

        #expect(try await a.dueDeliveries(now: Self.now, limit: 2).map(\.id) == ["d-1", "d-2"])
        #expect(try await a.dueDeliveries(now: Self.now, limit: 2).map(\.id) == ["d-1", "d-2"], "its own claims")
        let rest = try await b.dueDeliveries(now: Self.now, limit: 10)
        #expect(rest.map(\.id) == ["d-3"])
        #expect(rest.first?.desk == nil, "an agent no longer defined has no desk")
        try await b.markDelivered(id: "d-3", at: Self.now)
        #expect(try await b.nextDeliveryDue() == Self.at(a.claimSeconds), "a's claims end")
        #expect(try await a.nextDeliveryDue() == Self.at(-30))

        // a died: once its claims run out, b takes its deliveries; a's late report leaves b's claim alone.
        #expect(try await b.dueDeliveries(now: Self.at(a.claimSeconds - 1), limit: 10).isEmpty)
        #expect(try await b.dueDeliveries(now: Self.at(a.claimSeconds), limit: 10).map(\.id) == ["d-1", "d-2"])
        try await a.scheduleRetry(id: "d-2", attempts: 1, nextAttemptAt: Self.at(61), error: "timed out")
        #expect(try await a.dueDeliveries(now: Self.at(62), limit: 10).isEmpty)

        // Settled, the claim is lifted: a retry is anyone's once due, and a delivered one lets its handoff's next go.
        try await b.scheduleRetry(id: "d-2", attempts: 2, nextAttemptAt: Self.at(100), error: "HTTP 503")
        try await b.markDelivered(id: "d-1", at: Self.at(61))
        #expect(try await a.nextDeliveryDue() == Self.at(-40))
        let later = try await a.dueDeliveries(now: Self.at(100), limit: 10)
        #expect(later.map(\.id) == ["d-1-next", "d-2"])
        #expect(later.last?.attempts == 2)
        #expect(try await b.dueDeliveries(now: Self.at(100), limit: 10).isEmpty)
    }

    @Test("a write-back is claimed by one instance, with the agent's platform id, until settled or its claim runs out")
    func writeBackClaims() async throws {
        let instances = try await PostgresInstances(2)
        let (a, b) = (instances.stores[0], instances.stores[1])
        var agent = StoreBehaviourTests.agent("ana")
        agent.platformIds = ["web": "12345"]
        try await instances.agent(agent)
        try await instances.writeBack("wb-1", due: Self.at(-10))
        try await instances.writeBack("wb-2", due: Self.at(-5))

        let claimed = try await a.dueWriteBacks(now: Self.now, limit: 1)
        #expect(
            claimed == [
                DueWriteBack(
                    id: "wb-1", handoffId: "h-wb-1", conversationId: "cv_1", source: "web", externalId: "c-1",
                    agentId: "ana", platformAgentId: "12345", attempts: 0, agentName: "ana", agentTeam: "general")
            ])
        #expect(try await b.dueWriteBacks(now: Self.now, limit: 10).map(\.id) == ["wb-2"])
        #expect(try await a.dueWriteBacks(now: Self.now, limit: 10).map(\.id) == ["wb-1"])
        #expect(try await b.nextWriteBackDue() == Self.at(-5), "its own claim is due for it")
        try await b.markWriteBackDone(id: "wb-2", at: Self.now)
        #expect(try await b.nextWriteBackDue() == Self.at(a.claimSeconds))
        #expect(try await b.pendingWriteBacks() == 1)

        let taken = try await b.dueWriteBacks(now: Self.at(a.claimSeconds), limit: 10)
        #expect(taken.map(\.id) == ["wb-1"])
        try await b.scheduleWriteBackRetry(id: "wb-1", attempts: 1, nextAttemptAt: Self.at(90), error: "HTTP 500")
        #expect(try await a.nextWriteBackDue() == Self.at(90))
        #expect(try await a.dueWriteBacks(now: Self.at(90), limit: 10).map(\.attempts) == [1])
        try await a.endWriteBack(id: "wb-1", status: .failed, at: Self.at(90), reason: "unknown ticket")
        #expect(try await b.dueWriteBacks(now: Self.at(1000), limit: 10).isEmpty)
        #expect(try await b.nextWriteBackDue() == nil)
        #expect(
            try await b.writeBacks(conversationId: "cv_1").map(\.status) == [.failed, .done])
    }

    @Test("of many instances asking for one lease at once, one gets it")
    func leaseContention() async throws {
        let instances = try await PostgresInstances(6)
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for store in instances.stores {
                group.addTask {
                    try await store.acquireLease("imap:support", holder: store.instance, for: 30, now: Self.now)
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(granted == 1)
    }
}
