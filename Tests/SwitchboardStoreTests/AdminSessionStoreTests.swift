import Foundation
import SwitchboardStore
import Testing

/// The /admin page's sessions in the store: both stores alike, and what another instance (or a restart) reads.
@Suite("Admin sessions in the store")
struct AdminSessionStoreTests {
    static let now = StoreBehaviourTests.now

    static func session(_ digest: String, expiresIn seconds: Double) -> AdminSessionRecord {
        AdminSessionRecord(
            digest: digest, actor: "token:abcdef012345", csrfToken: "csrf-\(digest)", expiresAt: now + seconds)
    }

    @Test("a session lasts until it expires, shows a notice once, ends on sign-out, everywhere", arguments: StoreKind.allCases)
    func lifecycle(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        try await store.startAdminSession(Self.session("a", expiresIn: 10), now: Self.now)
        #expect(try await store.adminSession(digest: "a", now: Self.now + 9.9)?.csrfToken == "csrf-a")
        #expect(try await store.adminSession(digest: "a", now: Self.now + 10) == nil)
        #expect(try await store.adminSession(digest: "nobody", now: Self.now) == nil)

        try await store.startAdminSession(Self.session("b", expiresIn: 60), now: Self.now)
        try await store.setAdminNotice(digest: "b", AdminSessionRecord.Notice(kind: "success", text: "Published version 2."))
        let other = try await reopen()
        #expect(try await other.adminSession(digest: "b", now: Self.now)?.notice?.text == "Published version 2.")
        #expect(try await other.takeAdminNotice(digest: "b") == AdminSessionRecord.Notice(kind: "success", text: "Published version 2."))
        #expect(try await store.takeAdminNotice(digest: "b") == nil)

        // A new sign-in forgets the sessions expired by then.
        try await store.startAdminSession(Self.session("c", expiresIn: 60), now: Self.now + 20)
        #expect(try await other.adminSession(digest: "a", now: Self.now) == nil)

        try await other.endAdminSession(digest: "b")
        #expect(try await store.adminSession(digest: "b", now: Self.now) == nil)
        #expect(try await store.adminSession(digest: "c", now: Self.now + 30) != nil)
    }
}
