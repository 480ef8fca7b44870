import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// Desk tokens kept by digest, their last use, revocation, and the changes made with them: both stores alike.
@Suite("Desk tokens in the store")
struct DeskTokenStoreTests {
    static let now = StoreBehaviourTests.now

    static func token(_ id: String, digest: String, agents: [String] = ["ana"]) -> DeskTokenRecord {
        DeskTokenRecord(
            id: id, digest: digest, agents: agents, label: "laptop", createdAt: now, createdBy: "token:abcdef012345")
    }

    @Test("a token is found by its digest until revoked; its last use is written at most once a minute", arguments: StoreKind.allCases)
    func lifecycle(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        try await store.addDeskToken(Self.token("dt_1", digest: String(repeating: "a", count: 64), agents: ["ben", "ana"]))
        try await store.addDeskToken(Self.token("dt_2", digest: String(repeating: "b", count: 64)))
        await #expect(throws: (any Error).self) {
            try await store.addDeskToken(Self.token("dt_3", digest: String(repeating: "a", count: 64)))
        }

        #expect(try await store.useDeskToken(digest: String(repeating: "c", count: 64), now: Self.now) == nil)
        let used = try #require(try await store.useDeskToken(digest: String(repeating: "a", count: 64), now: Self.now))
        #expect(used.id == "dt_1")
        #expect(used.agents == ["ana", "ben"])
        #expect(used.lastUsedAt == Self.now)
        // Within the minute, the stored last use stands.
        let again = try #require(try await store.useDeskToken(digest: String(repeating: "a", count: 64), now: Self.now + 30))
        #expect(again.lastUsedAt == Self.now)
        let later = try #require(try await store.useDeskToken(digest: String(repeating: "a", count: 64), now: Self.now + 61))
        #expect(later.lastUsedAt == Self.now + 61)

        let revoked = try #require(try await store.revokeDeskToken(id: "dt_1", now: Self.now + 100))
        #expect(revoked.revokedAt == Self.now + 100)
        #expect(try await store.revokeDeskToken(id: "dt_1", now: Self.now + 200)?.revokedAt == Self.now + 100)
        #expect(try await store.revokeDeskToken(id: "dt_9", now: Self.now) == nil)
        #expect(try await store.useDeskToken(digest: String(repeating: "a", count: 64), now: Self.now + 101) == nil)

        // What another instance, or a restart, reads.
        let other = try await reopen()
        let listed = try await other.deskTokens()
        #expect(listed.map(\.id) == ["dt_1", "dt_2"])
        #expect(listed[0].lastUsedAt == Self.now + 61)
        #expect(listed[0].revokedAt == Self.now + 100)
        #expect(listed[1].lastUsedAt == nil)
        #expect(try await other.useDeskToken(digest: String(repeating: "a", count: 64), now: Self.now + 102) == nil)
    }

    @Test("a change made with a desk token is recorded in its own transaction, newest first", arguments: StoreKind.allCases)
    func actions(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        for (index, action) in ["accept", "resolve"].enumerated() {
            let record = DeskAction(
                at: Self.now + Double(index), tokenId: "ana/1", agents: ["ana"], action: action, subject: "cv_\(index)")
            try await store.commit(.byDesk(record, .none), now: Self.now) { ((), []) }
        }
        // A transaction that fails records nothing.
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.commit(
                .byDesk(DeskAction(at: Self.now, tokenId: "ana/1", agents: ["ana"], action: "decline", subject: "h"), .none),
                now: Self.now
            ) { () throws -> ((), [SwitchboardCore.RoutingEffect]) in throw Refused() }
        }
        let actions = try await store.deskActions(limit: 10)
        #expect(actions.map(\.action) == ["resolve", "accept"])
        #expect(actions.map(\.subject) == ["cv_1", "cv_0"])
        #expect(actions.first?.tokenId == "ana/1")
        #expect(actions.first?.at == Self.now + 1)
        #expect(try await store.deskActions(limit: 1).count == 1)
    }
}
