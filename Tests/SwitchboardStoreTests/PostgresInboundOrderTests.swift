import Foundation
import SwitchboardStore
import Synchronization
import Testing

/// The inbound log with several instances appending: sequence numbers commit in order, so the router,
/// which skips everything at or below its cursor, misses nothing.
@Suite("PostgreSQL inbound log across instances")
struct PostgresInboundOrderTests {
    @Test("appends from several instances at once: each stored once, and a router reading as they commit misses none")
    func concurrentInstances() async throws {
        let instances = try await PostgresInstances(3)
        let appending = Atomic(true)
        let outcomes = Recorder<AppendOutcome>()

        // The router: reads what follows its cursor, checks the order, moves the cursor past it.
        let router = Task { () throws -> [Int64] in
            var seen: [Int64] = []
            while true {
                let done = !appending.load(ordering: .acquiring)
                let pending = try await instances.stores[1].pendingEvents(limit: 37)
                seen += pending.map(\.sequence)
                if let last = pending.last?.sequence {
                    try await instances.moveRouterCursor(to: last)
                } else if done {
                    return seen
                } else {
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in instances.stores.enumerated() {
                for event in 0..<200 {
                    // 600 appends of 500 distinct ids: the last 50 of each instance's are the others' too.
                    let id = event < 150 ? "w-\(index)-\(event)" : "w-shared-\(event)"
                    group.addTask {
                        let outcome = try await store.append(StoreBehaviourTests.event(id, conversation: id))
                        outcomes.record(outcome)
                    }
                }
            }
            try await group.waitForAll()
        }
        appending.store(false, ordering: .releasing)
        let seen = try await router.value

        let all = outcomes.all
        let stored = all.compactMap { outcome -> Int64? in
            if case .stored(let sequence) = outcome { return sequence }
            return nil
        }
        #expect(stored.count == 500)
        #expect(all.filter { $0 == .duplicate }.count == 100)
        #expect(Set(stored).count == stored.count)
        let missed = Set(stored).subtracting(seen).count
        #expect(missed == 0, "the router passed over events committed after a later one")
        #expect(seen.count == stored.count, "the router saw each event once")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 }, "in ascending order")
        #expect(try await instances.stores[2].inboundEventCount() == 500)
        #expect(try await instances.stores[0].backlog() == 0)
    }
}
