import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// One customer across channels: identities, merges, capped history, promises and their follow-ups.
@Suite("Customer memory")
struct CustomerMemoryTests {
    static let start = MemoryHarness.start
    static func minutes(_ count: Double) -> Date { start.addingTimeInterval(count * 60) }

    @Test("a customer who chats, then emails, then texts is one customer, and each handoff carries the others", arguments: StoreKind.allCases)
    func linksAcrossChannels(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(kind, agents: [MemoryHarness.agent("ana")])
        // The chat gives a user id, an email and a phone: all three are linked.
        let chat = try await harness.send(
            source: "web", conversation: "chat-1",
            customer: CustomerInfo(externalId: "u-1", name: "Ana Ruiz", email: "Ana.Ruiz@Example.com", phone: "+1 (415) 555-0100"),
            text: "my parcel is late")
        try await harness.resolve(try #require(chat.first).conversationId, outcome: "reshipped", notes: "sent a new parcel")
        // The email comes from another source, with the address in another case and no user id.
        let email = try await harness.send(
            source: "mail", conversation: "mail-1", channel: "email", customer: CustomerInfo(email: "ana.ruiz@example.com"),
            text: "still nothing", at: Self.minutes(10))

        let emailContext = try await harness.context(of: email, at: Self.minutes(10))
        #expect(emailContext.history.map(\.channel) == ["chat"])
        #expect(emailContext.history.first?.outcome == "reshipped")
        #expect(emailContext.history.first?.agentNotes.map(\.text) == ["sent a new parcel"])
        // A text message from the same number, written the E.164 way.
        let sms = try await harness.send(
            source: "sms", conversation: "sms-1", channel: "chat", customer: CustomerInfo(phone: "+14155550100"),
            at: Self.minutes(20))
        let smsContext = try await harness.context(of: sms, at: Self.minutes(20))
        // Newest first, every channel and source.
        #expect(smsContext.history.map(\.source) == ["mail", "web"])
        #expect(smsContext.historySummary.conversations == 2)
        #expect(smsContext.historySummary.lastOutcome == "reshipped")
        #expect(smsContext.historySummary.secondsSinceLastContact == 600)

        let customer = try #require(try await harness.customer(email: "ANA.RUIZ@example.com"))
        #expect(Set(customer.conversations.map(\.source)) == ["web", "mail", "sms"])
        #expect(customer.identities.map(\.description).sorted() == ["email:ana.ruiz@example.com", "phone:+14155550100", "source_user:web:u-1"])
        #expect(try await harness.customer(Identity(kind: .phone, value: "+14155550100"))?.id == customer.id)
    }

    @Test("two user ids from one source sharing an email stay two customers; the email stays with the first", arguments: StoreKind.allCases)
    func noMergeOnConflictingIds(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(kind, agents: [MemoryHarness.agent("ana")])
        try await harness.send(conversation: "c-1", customer: CustomerInfo(externalId: "u-1", email: "team@example.com"))
        try await harness.send(conversation: "c-2", customer: CustomerInfo(externalId: "u-2", email: "team@example.com"))
        let first = try #require(try await harness.customer(Identity(kind: .sourceUser, value: "web:u-1")))
        let second = try #require(try await harness.customer(Identity(kind: .sourceUser, value: "web:u-2")))
        #expect(first.id != second.id)
        #expect(first.identities.map(\.description).sorted() == ["email:team@example.com", "source_user:web:u-1"])
        #expect(second.identities.map(\.description) == ["source_user:web:u-2"])
        #expect(second.conversations.count == 1)

        // A message whose identities belong to two customers goes to the user id's customer, and
        // merges nothing.
        try await harness.send(source: "shop", conversation: "s-1", customer: CustomerInfo(externalId: "x-9", phone: "+442071234567"))
        try await harness.send(conversation: "c-3", customer: CustomerInfo(externalId: "u-2", phone: "+442071234567"))
        let shop = try #require(try await harness.customer(Identity(kind: .sourceUser, value: "shop:x-9")))
        #expect(shop.identities.map(\.description).sorted() == ["phone:+442071234567", "source_user:shop:x-9"])
        #expect(try await harness.customer(Identity(kind: .sourceUser, value: "web:u-2"))?.conversations.count == 2)
    }

    @Test("merge moves identities, conversations and promises; unmerge splits one identity off; both are audited", arguments: StoreKind.allCases)
    func mergeAndUnmerge(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(kind, agents: [MemoryHarness.agent("ana")])
        let chat = try await harness.send(conversation: "c-1", customer: CustomerInfo(externalId: "u-1"))
        try await harness.resolve(
            try #require(chat.first).conversationId,
            promise: PromiseRequest(due: Self.minutes(60), what: "call back about the invoice"))
        try await harness.send(source: "mail", conversation: "e-1", channel: "email", customer: CustomerInfo(email: "bo@example.com"))
        let kept = try #require(try await harness.customer(Identity(kind: .sourceUser, value: "web:u-1")))
        let other = try #require(try await harness.customer(email: "bo@example.com"))
        #expect(kept.id != other.id)

        let merge = try await harness.store.merge(into: kept.id, from: other.id, actor: "token:abc", now: Self.minutes(1))
        #expect(merge.action == .merge)
        #expect(merge.identities == ["email:bo@example.com"])
        #expect(merge.conversations.count == 1)
        let merged = try await harness.store.customer(id: kept.id)
        #expect(merged.conversations.count == 2)
        #expect(merged.promises.map(\.what) == ["call back about the invoice"])
        await #expect(throws: StoreError.mergedAway(other.id, into: kept.id)) {
            try await harness.store.customer(id: other.id)
        }
        await #expect(throws: StoreError.sameCustomer(kept.id)) {
            try await harness.store.merge(into: kept.id, from: kept.id, actor: "token:abc", now: Self.minutes(1))
        }

        let email = try #require(Identity.email("bo@example.com"))
        let split = try await harness.store.unmerge(email, from: kept.id, actor: "token:def", now: Self.minutes(2))
        let created = try await harness.store.customer(id: split.otherCustomerId)
        #expect(created.identities == [email])
        #expect(created.conversations.map(\.source) == ["mail"])
        #expect(try await harness.store.customer(id: kept.id).conversations.map(\.source) == ["web"])
        await #expect(throws: StoreError.onlyIdentity(email.description)) {
            try await harness.store.unmerge(email, from: created.id, actor: "token:def", now: Self.minutes(3))
        }
        await #expect(throws: StoreError.identityNotHeld(email.description, customer: kept.id)) {
            try await harness.store.unmerge(email, from: kept.id, actor: "token:def", now: Self.minutes(3))
        }

        let trail = try await harness.store.customerAudit(id: kept.id)
        #expect(trail.map(\.action) == [.merge, .unmerge])
        #expect(trail.map(\.actor) == ["token:abc", "token:def"])
        #expect(trail.map(\.at) == [Self.minutes(1), Self.minutes(2)])
        #expect(trail[1].otherCustomerId == created.id)
        #expect(try await harness.store.customerAudit(id: other.id).map(\.action) == [.merge])
    }

    @Test("history is capped in entries and characters, newest first, and the totals count everything", arguments: StoreKind.allCases)
    func historyCaps(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(
            kind, agents: [MemoryHarness.agent("ana")], limits: HistoryLimits(entries: 3, characters: 40))
        let customer = CustomerInfo(externalId: "u-1")
        for index in 0..<5 {
            let offers = try await harness.send(
                conversation: "old-\(index)", customer: customer,
                text: "conversation \(index): " + String(repeating: "long story ", count: 20), at: Self.minutes(Double(index)))
            try await harness.resolve(
                try #require(offers.first).conversationId, outcome: "outcome \(index)",
                notes: "note \(index) " + String(repeating: "detail ", count: 30), at: Self.minutes(Double(index) + 0.5))
        }
        let current = try await harness.send(conversation: "new", customer: customer, at: Self.minutes(10))
        let context = try await harness.context(of: current, at: Self.minutes(10))
        #expect(context.history.count == 3)
        #expect(context.history.map(\.outcome) == ["outcome 4", "outcome 3", "outcome 2"])
        for entry in context.history {
            #expect(entry.firstMessage.count == 40)
            #expect(entry.firstMessage.hasSuffix("…"))
            #expect(entry.agentNotes.count == 1)
            #expect(entry.agentNotes.allSatisfy { $0.text.count <= 40 })
            #expect((entry.notes?.count ?? 0) <= 40)
        }
        #expect(context.historySummary.conversations == 5)
        #expect(context.historySummary.lastOutcome == "outcome 4")
        #expect(context.historySummary.lastContactAt == Self.minutes(4))
    }

    @Test("a promise made on chat shows in a later handoff on email, until its follow-up is resolved", arguments: StoreKind.allCases)
    func promiseAcrossChannels(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(kind, agents: [MemoryHarness.agent("ana"), MemoryHarness.agent("ben")])
        let chat = try await harness.send(conversation: "c-1", customer: CustomerInfo(externalId: "u-1", email: "cy@example.com"))
        let chatId = try #require(chat.first).conversationId
        let maker = try #require(chat.first).agentId
        try await harness.resolve(
            chatId, promise: PromiseRequest(due: Self.minutes(30), what: "confirm the refund posted"), at: Self.minutes(1))
        let email = try await harness.send(
            source: "mail", conversation: "e-1", channel: "email", customer: CustomerInfo(email: "cy@example.com"),
            at: Self.minutes(5))
        let context = try await harness.context(of: email, at: Self.minutes(5))
        #expect(context.promises.map(\.what) == ["confirm the refund posted"])
        #expect(context.promises.first?.agentId == maker)
        #expect(context.promises.first?.status == .open)
        #expect(context.promises.first?.conversationId == chatId)
        #expect(try await harness.store.overduePromises(now: Self.minutes(5)) == 0)
        #expect(try await harness.followUpDuePromises(at: Self.minutes(29)).isEmpty)
        #expect(try await harness.store.nextPromiseDue() == Self.minutes(30))

        // Due: a follow-up is routed back to the agent who made the promise, with the promise attached.
        let followUps = try await harness.followUpDuePromises(at: Self.minutes(31))
        let followUp = try #require(followUps.first)
        #expect(followUps.count == 1)
        #expect(followUp.agentId == maker)
        #expect(followUp.decision.rule == "previous agent")
        #expect(followUp.decision.trigger == "promise due")
        #expect(try await harness.followUpDuePromises(at: Self.minutes(32)).isEmpty)
        let followUpContext = try await harness.context(of: [followUp], at: Self.minutes(31))
        #expect(followUpContext.followUp?.what == "confirm the refund posted")
        #expect(followUpContext.promises.map(\.status) == [.due])
        #expect(followUpContext.transcript.map(\.text) == ["Follow-up due: confirm the refund posted"])
        #expect(followUpContext.history.map(\.source).sorted() == ["mail", "web"])
        #expect(try await harness.store.overduePromises(now: Self.minutes(40)) == 1)

        try await harness.resolve(followUp.conversationId, outcome: "refund confirmed", at: Self.minutes(41))
        #expect(try await harness.store.overduePromises(now: Self.minutes(42)) == 0)
        let customer = try #require(try await harness.customer(email: "cy@example.com"))
        #expect(customer.promises.isEmpty)
    }

    @Test("a due promise whose agent is away goes to another eligible agent at once", arguments: StoreKind.allCases)
    func promiseAgentAway(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(kind, agents: [MemoryHarness.agent("ana"), MemoryHarness.agent("ben")])
        let chat = try await harness.send(conversation: "c-1", customer: CustomerInfo(externalId: "u-1"))
        let first = try #require(chat.first)
        try await harness.resolve(first.conversationId, promise: PromiseRequest(due: Self.minutes(30), what: "ship the part"))
        try await harness.setPresence(first.agentId, .away, at: Self.minutes(20))
        let followUps = try await harness.followUpDuePromises(at: Self.minutes(30))
        #expect(followUps.count == 1)
        #expect(followUps.first.map(\.agentId) != first.agentId)
    }

    @Test("a due promise waits for its busy agent within the wait, across a restart, then goes to anyone eligible", arguments: StoreKind.allCases)
    func promiseAgentBusy(_ kind: StoreKind) async throws {
        let harness = try await MemoryHarness(
            kind, agents: [MemoryHarness.agent("ana", chat: 1), MemoryHarness.agent("ben", chat: 1)])
        let chat = try await harness.send(conversation: "c-1", customer: CustomerInfo(externalId: "u-1"))
        let first = try #require(chat.first)
        try await harness.resolve(first.conversationId, promise: PromiseRequest(due: Self.minutes(30), what: "ship the part"))
        // The promise's agent is busy with another customer when it falls due; the other agent is free.
        let other = first.agentId == "ana" ? "ben" : "ana"
        try await harness.setPresence(other, .away, at: Self.minutes(28))
        let busy = try await harness.send(conversation: "c-2", customer: CustomerInfo(externalId: "u-2"), at: Self.minutes(29))
        try #require(busy.first?.agentId == first.agentId)
        try await harness.accept(try #require(busy.first), at: Self.minutes(29))
        try await harness.setPresence(other, .online, at: Self.minutes(29.5))
        #expect(try await harness.followUpDuePromises(at: Self.minutes(30), holdForAgent: 120).isEmpty)
        try await harness.restart(at: Self.minutes(30.5))
        #expect(try await harness.tick(at: Self.minutes(31)).isEmpty)
        let after = try await harness.tick(at: Self.minutes(32.1))
        #expect(after.count == 1)
        #expect(after.first?.agentId == other)
    }
}
