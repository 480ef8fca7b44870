import Foundation
import GRDB
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// The write-back outbox of the SQLite store: written with the acceptance that causes it, retried, superseded.
@Suite("Write-back outbox")
struct WriteBackOutboxTests {
    static let now = StoreBehaviourTests.now
    static let later = now.addingTimeInterval(3600)

    static func path() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-outbox-\(UUID().uuidString)/test.db").path
    }

    static func agent(_ id: String, platformIds: [String: String]) -> Agent {
        var agent = StoreBehaviourTests.agent(id)
        agent.platformIds = platformIds
        return agent
    }

    /// A store with agents, one conversation (`c-1` from source `web`) offered, and its handoff.
    static func offered(
        writeBackSources: Set<String> = ["web"], agents: [Agent] = [agent("ana", platformIds: ["web": "12345"])],
        path: String = path()
    ) async throws -> (SQLiteStore, DueDelivery) {
        let store = try SQLiteStore(path: path, writeBackSources: writeBackSources)
        try await store.upsertAgents(agents)
        try await StoreBehaviourTests.route(store, [StoreBehaviourTests.event("w-1")])
        let handoff = try #require(try await store.dueDeliveries(now: now, limit: 10).first { $0.kind == "handoff" })
        return (store, handoff)
    }

    static func accept(_ store: SQLiteStore, _ handoffId: String) async throws {
        let engine = try await EngineHarness(store: store, table: StoreBehaviourTests.table, now: now)
        try await engine.commit(.none) { try $0.accept(handoffId: handoffId, now: now) }
    }

    @Test("an acceptance stores its write-back, with the platform's conversation id and the agent's id there")
    func acceptanceEnqueues() async throws {
        let path = Self.path()
        let (store, handoff) = try await Self.offered(path: path)
        #expect(try await store.dueWriteBacks(now: Self.later, limit: 10).isEmpty, "an offer alone tells no platform")
        try await Self.accept(store, handoff.id)

        let due = try await store.dueWriteBacks(now: Self.now, limit: 10)
        #expect(due.count == 1)
        let writeBack = try #require(due.first)
        #expect(writeBack.handoffId == handoff.id)
        #expect(writeBack.conversationId == handoff.payloadConversationId)
        #expect(writeBack.source == "web")
        #expect(writeBack.externalId == "c-1")
        #expect(writeBack.agentId == "ana")
        #expect(writeBack.platformAgentId == "12345")
        #expect(writeBack.attempts == 0)
        #expect(try await store.pendingWriteBacks() == 1)
        #expect(try await store.nextWriteBackDue() == Self.now)

        // Accepting again changes nothing, and the outbox survives a restart.
        try await Self.accept(store, handoff.id)
        let reopened = try SQLiteStore(path: path, writeBackSources: ["web"])
        #expect(try await reopened.dueWriteBacks(now: Self.now, limit: 10) == due)
    }

    @Test("the write-back is in the acceptance's transaction: when it cannot be stored, the acceptance is not either")
    func sameTransaction() async throws {
        let path = Self.path()
        let (store, handoff) = try await Self.offered(path: path)
        let saboteur = try DatabaseQueue(path: path)
        try await saboteur.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_write_backs BEFORE INSERT ON write_backs
                    BEGIN SELECT RAISE(ABORT, 'outbox refused'); END
                    """)
        }
        await #expect(throws: (any Error).self) { try await Self.accept(store, handoff.id) }
        let conversationId = handoff.payloadConversationId
        #expect(try await store.conversation(id: conversationId)?.status == .offered)
        let open = try #require(try await store.routingState().open.first { $0.conversationId == conversationId })
        #expect(open.holding?.accepted == false)
        #expect(try await store.pendingWriteBacks() == 0)

        try await saboteur.write { db in try db.execute(sql: "DROP TRIGGER refuse_write_backs") }
        try saboteur.close()
        try await Self.accept(store, handoff.id)
        #expect(try await store.conversation(id: conversationId)?.status == .assigned)
        #expect(try await store.pendingWriteBacks() == 1)
    }

    @Test("a conversation from a source without write-back stores none")
    func otherSourcesStoreNone() async throws {
        let (store, handoff) = try await Self.offered(writeBackSources: ["zd"])
        try await Self.accept(store, handoff.id)
        #expect(try await store.conversation(id: handoff.payloadConversationId)?.status == .assigned)
        #expect(try await store.dueWriteBacks(now: Self.later, limit: 10).isEmpty)
        #expect(try await store.pendingWriteBacks() == 0)
        #expect(try await store.nextWriteBackDue() == nil)
    }

    @Test("a failed attempt waits for its retry; done once, it stays done")
    func retryScheduling() async throws {
        let (store, handoff) = try await Self.offered()
        try await Self.accept(store, handoff.id)
        let first = try #require(try await store.dueWriteBacks(now: Self.now, limit: 10).first)

        let retryAt = Self.now.addingTimeInterval(30)
        try await store.scheduleWriteBackRetry(id: first.id, attempts: 1, nextAttemptAt: retryAt, error: "HTTP 500")
        #expect(try await store.dueWriteBacks(now: Self.now.addingTimeInterval(29), limit: 10).isEmpty)
        #expect(try await store.nextWriteBackDue() == retryAt)
        #expect(try await store.pendingWriteBacks() == 1)
        let retry = try #require(try await store.dueWriteBacks(now: retryAt, limit: 10).first)
        #expect(retry.id == first.id)
        #expect(retry.attempts == 1)
        #expect(try await store.writeBacks(conversationId: first.conversationId).first?.lastError == "HTTP 500")

        try await store.markWriteBackDone(id: retry.id, at: retryAt)
        #expect(try await store.dueWriteBacks(now: Self.later, limit: 10).isEmpty)
        #expect(try await store.nextWriteBackDue() == nil)
        #expect(try await store.pendingWriteBacks() == 0)
        // A late failure report (or a second done) changes nothing.
        try await store.scheduleWriteBackRetry(id: retry.id, attempts: 2, nextAttemptAt: Self.later, error: "late")
        let records = try await store.writeBacks(conversationId: first.conversationId)
        #expect(records == [WriteBackRecord(id: first.id, agentId: "ana", status: .done, attempts: 2, lastError: nil)])
    }

    @Test("a later acceptance of the conversation supersedes a pending write-back: the platform names the last agent")
    func supersede() async throws {
        let (store, handoff) = try await Self.offered(agents: [
            Self.agent("ana", platformIds: ["web": "111"]), Self.agent("ben", platformIds: ["web": "222"]),
        ])
        let conversationId = handoff.payloadConversationId
        try await Self.accept(store, handoff.id)
        let firsts = try #require(try await store.dueWriteBacks(now: Self.now, limit: 10).first)
        #expect(firsts.agentId == handoff.agentId)
        let other = handoff.agentId == "ana" ? "ben" : "ana"
        let engine = try await EngineHarness(store: store, table: StoreBehaviourTests.table, now: Self.now)
        let moved = try await engine.commit(.none) {
            try $0.transfer(conversationId: conversationId, to: .agent(other), now: Self.now)
        }
        let offer = try #require(moved.offers.first)
        #expect(
            try await store.dueWriteBacks(now: Self.later, limit: 10).map(\.id) == [firsts.id],
            "a transfer offer writes nothing")
        try await engine.commit(.none) { try $0.accept(handoffId: offer.handoffId, now: Self.now) }

        let due = try await store.dueWriteBacks(now: Self.later, limit: 10)
        #expect(due.map(\.agentId) == [other])
        #expect(due.first?.platformAgentId == (other == "ana" ? "111" : "222"))
        #expect(try await store.pendingWriteBacks() == 1)
        // The superseded one stays superseded even if its attempt in flight succeeds afterwards.
        try await store.markWriteBackDone(id: firsts.id, at: Self.now)
        let records = try await store.writeBacks(conversationId: conversationId)
        #expect(records.map(\.status) == [.superseded, .pending])
    }

    @Test("the agent's platform id is read at each attempt; a skipped write-back is ended with its reason")
    func platformIdAndSkip() async throws {
        let (store, handoff) = try await Self.offered(agents: [Self.agent("ana", platformIds: ["zd": "9"])])
        try await Self.accept(store, handoff.id)
        let writeBack = try #require(try await store.dueWriteBacks(now: Self.now, limit: 10).first)
        #expect(writeBack.platformAgentId == nil, "an id for another source does not count")

        try await store.upsertAgents([Self.agent("ana", platformIds: ["web": "42"])])
        #expect(try await store.dueWriteBacks(now: Self.now, limit: 10).first?.platformAgentId == "42")

        try await store.endWriteBack(id: writeBack.id, status: .skipped, at: Self.now, reason: "no platform id")
        #expect(try await store.dueWriteBacks(now: Self.later, limit: 10).isEmpty)
        #expect(
            try await store.writeBacks(conversationId: writeBack.conversationId)
                == [
                    WriteBackRecord(
                        id: writeBack.id, agentId: "ana", status: .skipped, attempts: 0, lastError: "no platform id")
                ])
    }

    @Test("the outbox is migration 006_write_backs")
    func migrationName() throws {
        let store = try SQLiteStore(path: Self.path())
        #expect(try store.appliedMigrations().contains("006_write_backs"))
    }
}
