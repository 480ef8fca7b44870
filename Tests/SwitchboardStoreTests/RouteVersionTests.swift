import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// Versions of the routing table in the store: numbered publications with their audit entries, a
/// refused publication over a version it did not expect, and the one draft.
@Suite("Routing-table versions in the store")
struct RouteVersionTests {
    static let now = StoreBehaviourTests.now

    static func publication(_ yaml: String, source: String = "publish", expected: Int?, restores: Int? = nil)
        -> RoutePublication
    {
        RoutePublication(
            files: [RouteFile(name: "support.yaml", yaml: yaml)], digest: "digest-of-\(yaml)", source: source,
            actor: "token:abc", restores: restores, expected: expected, summary: "\(source) \(yaml)",
            diff: "-old\n+\(yaml)\n", clearsDraft: source == "publish")
    }

    @Test("publications are numbered from 1, each published with its audit entry; a stale one is refused and changes nothing", arguments: StoreKind.allCases)
    func publish(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        #expect(try await store.publishedRouteVersion() == nil)
        let first = try await store.publishRoutes(Self.publication("a", source: "file", expected: nil), now: Self.now)
        #expect(first.version == 1)
        let second = try await store.publishRoutes(
            Self.publication("b", expected: 1), now: Self.now.addingTimeInterval(60))
        #expect(second.version == 2)

        await #expect(throws: StoreError.routeVersionConflict(expected: 1, published: 2)) {
            try await store.publishRoutes(Self.publication("c", expected: 1), now: Self.now)
        }
        let third = try await store.publishRoutes(
            Self.publication("a", source: "rollback", expected: 2, restores: 1), now: Self.now.addingTimeInterval(120))
        #expect(third.version == 3)
        #expect(third.restores == 1)

        let reopened = try await reopen()
        #expect(try await reopened.publishedRouteVersion()?.version == 3)
        #expect(try await reopened.routeVersions().map(\.version) == [3, 2, 1])
        let two = try #require(try await reopened.routeVersion(2))
        #expect(two.files == [RouteFile(name: "support.yaml", yaml: "b")])
        #expect(two.digest == "digest-of-b")
        #expect(two.actor == "token:abc")
        #expect(two.createdAt == Self.now.addingTimeInterval(60))
        #expect(try await reopened.routeVersion(4) == nil)

        let audit = try await reopened.routeAudit(limit: 10)
        #expect(audit.map(\.action) == ["rollback", "publish", "file"])
        #expect(audit.map(\.version) == [3, 2, 1])
        #expect(audit.map(\.previousVersion) == [2, 1, nil])
        #expect(audit.first?.diff == "-old\n+a\n")
        #expect(try await reopened.routeAudit(limit: 1).count == 1)
    }

    @Test("there is one draft: saved with an audit entry, replaced, removed by the publication that takes it", arguments: StoreKind.allCases)
    func draft(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        _ = try await store.publishRoutes(Self.publication("a", source: "file", expected: nil), now: Self.now)
        #expect(try await store.routeDraft() == nil)
        let draft = RouteDraftRecord(
            files: [RouteFile(name: "support.yaml", yaml: "b")], baseVersion: 1, actor: "token:abc", updatedAt: Self.now)
        try await store.saveRouteDraft(draft, summary: "draft saved", diff: "+b\n")
        #expect(try await store.routeDraft() == draft)
        var edited = draft
        edited.files[0].yaml = "c"
        try await store.saveRouteDraft(edited, summary: "draft saved", diff: "+c\n")
        #expect(try await store.routeDraft()?.files.first?.yaml == "c")
        #expect(try await store.routeAudit(limit: 10).map(\.action) == ["draft", "draft", "file"])

        // A rollback leaves the draft; publishing it removes it.
        _ = try await store.publishRoutes(
            Self.publication("a", source: "rollback", expected: 1, restores: 1), now: Self.now)
        #expect(try await store.routeDraft() != nil)
        _ = try await store.publishRoutes(Self.publication("c", expected: 2), now: Self.now)
        #expect(try await store.routeDraft() == nil)
        #expect(try await store.deleteRouteDraft() == false)
        try await store.saveRouteDraft(draft, summary: "draft saved", diff: "")
        #expect(try await store.deleteRouteDraft() == true)
        #expect(try await store.routeDraft() == nil)
    }

    @Test("recent conversations come newest first, with their latest message and agent", arguments: StoreKind.allCases)
    func recentConversations(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([StoreBehaviourTests.agent("ana")])
        try await StoreBehaviourTests.route(
            store, [StoreBehaviourTests.event("w-1", conversation: "c-1"), StoreBehaviourTests.event("w-2", conversation: "c-2")])
        let recent = try await store.recentConversations(limit: 10)
        #expect(recent.map(\.message.conversationId) == ["c-2", "c-1"])
        #expect(try await store.recentConversations(limit: 1).map(\.message.conversationId) == ["c-2"])
        #expect(recent.allSatisfy { $0.channel == "chat" })
    }
}
