import Foundation
import SwitchboardStore
import Testing

/// A polled batch commits with its source's cursor.
@Suite("Polled batches")
struct PolledBatchTests {
    static let now = StoreBehaviourTests.now

    static func event(_ id: String) -> InboundEvent {
        InboundEvent(source: "mail", kind: "email", webhookId: id, receivedAt: now, body: Array("message \(id)".utf8))
    }

    @Test(
        "a batch and its cursor commit together; an event stored before is a duplicate; both survive reopening",
        arguments: StoreKind.allCases)
    func batchWithCursor(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        #expect(try await store.pollCursor(source: "mail") == nil)
        let first = try await store.appendPolled(
            [Self.event("1"), Self.event("2")], source: "mail", cursor: "2", now: Self.now)
        #expect(first.count == 2)
        #expect(!first.contains(.duplicate))
        let second = try await store.appendPolled(
            [Self.event("2"), Self.event("3")], source: "mail", cursor: "3", now: Self.now)
        #expect(second.first == .duplicate)
        guard case .stored = second.last else {
            Issue.record("a new event in the batch was not stored: \(second)")
            return
        }
        // An empty batch still moves the cursor; other sources keep theirs.
        _ = try await store.appendPolled([], source: "mail", cursor: "4", now: Self.now)
        _ = try await store.appendPolled([], source: "room", cursor: "s1", now: Self.now)

        let reopened = try await reopen()
        #expect(try await reopened.pollCursor(source: "mail") == "4")
        #expect(try await reopened.pollCursor(source: "room") == "s1")
        let pending = try await reopened.pendingEvents(limit: 10)
        #expect(pending.map(\.event.webhookId) == ["1", "2", "3"])
        #expect(pending.map(\.event.body) == ["1", "2", "3"].map { Array("message \($0)".utf8) })
        #expect(pending.map(\.sequence) == pending.map(\.sequence).sorted())
        #expect(try await reopened.pendingEvents(limit: 2).count == 2)
    }
}
