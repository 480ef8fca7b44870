import Foundation
import SwitchboardStore
import Testing

/// Leases on polled sources: one holder at a time, until it lets the lease run out or gives it up.
@Suite("Leases")
struct LeaseTests {
    static let now = StoreBehaviourTests.now

    static func at(_ seconds: Double) -> Date { now.addingTimeInterval(seconds) }

    @Test(
        "one holder at a time: the other gets the lease once it expires or is released; renewing extends it",
        arguments: StoreKind.allCases)
    func oneHolder(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        #expect(try await store.acquireLease("imap:support", holder: "a", for: 30, now: Self.at(0)))
        #expect(try await store.acquireLease("imap:support", holder: "b", for: 30, now: Self.at(10)) == false)
        // Another lease is another thing.
        #expect(try await store.acquireLease("matrix:bot", holder: "b", for: 30, now: Self.at(10)))
        // Renewed at 20, a's lease runs to 50, not 30.
        #expect(try await store.acquireLease("imap:support", holder: "a", for: 30, now: Self.at(20)))
        #expect(try await store.acquireLease("imap:support", holder: "b", for: 30, now: Self.at(40)) == false)

        // Kept across a restart; once it has run out, the other takes it, and a is out.
        let reopened = try await reopen()
        #expect(try await reopened.acquireLease("imap:support", holder: "b", for: 30, now: Self.at(49)) == false)
        #expect(try await reopened.acquireLease("imap:support", holder: "b", for: 30, now: Self.at(50)))
        #expect(try await reopened.acquireLease("imap:support", holder: "a", for: 30, now: Self.at(51)) == false)
    }

    @Test("only its holder releases a lease; released, it is free at once", arguments: StoreKind.allCases)
    func release(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        #expect(try await store.acquireLease("imap:support", holder: "a", for: 30, now: Self.at(0)))
        try await store.releaseLease("imap:support", holder: "b")
        #expect(try await store.acquireLease("imap:support", holder: "b", for: 30, now: Self.at(1)) == false)
        try await store.releaseLease("imap:support", holder: "a")
        #expect(try await store.acquireLease("imap:support", holder: "b", for: 30, now: Self.at(2)))
        #expect(try await store.acquireLease("imap:support", holder: "a", for: 30, now: Self.at(3)) == false)
        // Releasing a lease nobody holds does nothing.
        try await store.releaseLease("never-taken", holder: "a")
    }
}
