import Foundation
import GRDB
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// Inbound bodies are kept for a retention once routed, then emptied; their ids stay, so that a
/// platform's late repeat is still a duplicate, and nothing unrouted is touched.
@Suite("Inbound retention")
struct InboundRetentionTests {
    static let now = StoreBehaviourTests.now
    static let day = 86_400.0

    static func event(_ webhookId: String, conversation: String, daysAgo: Double) -> InboundEvent {
        var event = StoreBehaviourTests.event(webhookId, conversation: conversation, messageId: "m-\(webhookId)")
        event.receivedAt = now.addingTimeInterval(-daysAgo * day)
        return event
    }

    @Test("routed bodies past the retention are emptied, oldest first, in batches; ids stay for deduplication", arguments: StoreKind.allCases)
    func prune(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await StoreBehaviourTests.route(store, [
            Self.event("old-1", conversation: "c-1", daysAgo: 40), Self.event("old-2", conversation: "c-2", daysAgo: 35),
            Self.event("old-3", conversation: "c-3", daysAgo: 31), Self.event("new-1", conversation: "c-4", daysAgo: 1),
        ])
        // Received long ago but not routed yet: kept whole.
        _ = try await store.append(Self.event("old-unrouted", conversation: "c-5", daysAgo: 50))

        let cutoff = Self.now.addingTimeInterval(-30 * Self.day)
        #expect(try await store.pruneInboundBodies(receivedBefore: cutoff, limit: 2) == 2)
        #expect(try await store.pruneInboundBodies(receivedBefore: cutoff, limit: 2) == 1)
        #expect(try await store.pruneInboundBodies(receivedBefore: cutoff, limit: 2) == 0)

        #expect(try await store.append(Self.event("old-1", conversation: "c-1", daysAgo: 40)) == .duplicate)
        let pending = try await store.pendingEvents(limit: 10)
        #expect(pending.map(\.event.webhookId) == ["old-unrouted"])
        #expect(try StoreBehaviourTests.routable(pending).first?.message?.text == "hello")
    }

    @Test("pruning reads the events still holding a body through their own index, not every event since the first")
    func prunesThroughAnIndex() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-retention-\(UUID().uuidString)/test.db").path
        let store = try SQLiteStore(path: path)
        try await StoreBehaviourTests.route(store, [Self.event("old-1", conversation: "c-1", daysAgo: 40)])
        let inbound = try DatabaseQueue(path: path.replacingOccurrences(of: "test.db", with: "test.inbound.db"))
        let details = try await inbound.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT seq FROM inbound_events WHERE seq <= ? AND received_at < ? AND length(body) > 0
                    ORDER BY seq LIMIT ?
                    """, arguments: [1_000_000, 1e12, 1000]
            ).map { $0["detail"] as String }
        }
        #expect(details.contains { $0.contains("inbound_events_unpruned") }, "plan: \(details)")
    }
}
