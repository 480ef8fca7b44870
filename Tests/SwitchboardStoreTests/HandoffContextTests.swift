import Foundation
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// What a handoff context carries about a customer with several earlier conversations, on a store
/// filled with `bulkLoad` (the loader of `switchboard bench memory`).
@Suite("SQLite handoff context")
struct HandoffContextTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ minutes: Double) -> Date { now.addingTimeInterval(minutes * 60 - 100_000) }

    static func message(_ conversation: String, at date: Date) -> InboundMessage {
        InboundMessage(
            source: "web", conversationId: conversation, channel: "chat", customer: CustomerInfo(externalId: "u-1"),
            messageId: "\(conversation)-m1", text: "about \(conversation)", sentAt: date)
    }

    /// Customer `cus_a`: resolved conversations c1, c2, c3 (oldest first), and c4 open, whose context
    /// is built. Customer `cus_b` has one conversation with a note, which must not show.
    static func makeStore(limits: HistoryLimits = HistoryLimits()) throws -> SQLiteStore {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-context-\(UUID().uuidString)/test.db").path
        let store = try SQLiteStore(path: path, historyLimits: limits)
        try store.bulkLoad { loader in
            for customer in ["cus_a", "cus_b"] {
                try loader.customer(id: customer, name: nil, createdAt: at(0))
            }
            try loader.identity(Identity(kind: .sourceUser, value: "web:u-1"), customerId: "cus_a")
            let rows:
                [(id: String, customer: String, start: Double, transfers: Int, outcome: String?, resolved: Double?)] = [
                    ("c1", "cus_a", 10, 1, "refunded", 400),
                    ("c2", "cus_a", 20, 2, "replaced", 300),
                    ("c3", "cus_a", 30, 0, "explained", 200),
                    ("b1", "cus_b", 25, 5, "cancelled", 500),
                    ("c4", "cus_a", 900, 0, nil, nil),
                ]
            for row in rows {
                let last = message(row.id, at: at(row.start + 1))
                try loader.conversation(
                    Conversation(
                        id: row.id, source: "web", externalId: row.id, channel: "chat", customerId: row.customer,
                        startedAt: at(row.start), status: row.resolved == nil ? .assigned : .resolved, agentId: "zoe",
                        transfers: row.transfers, outcome: row.outcome),
                    lastMessage: last, identity: Identity(kind: .sourceUser, value: "web:u-1"),
                    lastMessageAt: last.sentAt,
                    resolvedAt: row.resolved.map(at))
                try loader.message(
                    conversationId: row.id, messageId: last.messageId, author: "customer", text: last.text,
                    sentAt: last.sentAt)
            }
            for (id, conversation, minute) in [
                ("n1", "c1", 11.0), ("n2", "c1", 12), ("n3", "c2", 21), ("n4", "b1", 26), ("n5", "c4", 901),
            ] {
                try loader.note(
                    AgentNote(agentId: "zoe", at: at(minute), text: "note \(id)"), conversationId: conversation)
            }
        }
        return store
    }

    @Test("history newest first with each conversation's own notes in order; totals over the others; this one's notes")
    func history() async throws {
        let store = try Self.makeStore()
        let context = try #require(try await store.handoffContext(conversationId: "c4", now: Self.now))
        #expect(context.history.map(\.id) == ["c3", "c2", "c1"])
        #expect(context.history.map { $0.agentNotes.map(\.text) } == [[], ["note n3"], ["note n1", "note n2"]])
        #expect(context.history.map(\.firstMessage) == ["about c3", "about c2", "about c1"])
        #expect(context.notes.map(\.text) == ["note n5"])
        #expect(context.transcript.map(\.text) == ["about c4"])
        #expect(context.historySummary.conversations == 3)
        #expect(context.historySummary.transfers == 3)
        // c1 was resolved last, although it started first.
        #expect(context.historySummary.lastOutcome == "refunded")
        #expect(context.historySummary.lastContactAt == Self.at(31))
    }

    @Test("capped history: fewer entries and cut notes, totals still over every earlier conversation")
    func capped() async throws {
        let store = try Self.makeStore(limits: HistoryLimits(entries: 2, characters: 5))
        let context = try #require(try await store.handoffContext(conversationId: "c4", now: Self.now))
        #expect(context.history.map(\.id) == ["c3", "c2"])
        #expect(context.history[1].agentNotes.map(\.text) == ["note…"])
        #expect(context.historySummary.conversations == 3)
    }

    @Test("the same context inside one read transaction; identities resolve exactly")
    func reader() async throws {
        let store = try Self.makeStore()
        let viaAsync = try #require(try await store.handoffContext(conversationId: "c4", now: Self.now))
        let inside = try #require(try await store.read { try await $0.handoffContext(conversationId: "c4", now: Self.now) })
        #expect(inside.history == viaAsync.history)
        #expect(inside.historySummary == viaAsync.historySummary)
        #expect(try await store.customerId(for: Identity(kind: .sourceUser, value: "web:u-1")) == "cus_a")
        #expect(try await store.read { try await $0.customerId(for: Identity(kind: .sourceUser, value: "web:u-2")) } == nil)
    }
}
