import Foundation
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// The behaviour every store must have, run against each store kind.
@Suite("Store behaviour")
struct StoreBehaviourTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let desk = Desk(url: "http://127.0.0.1:9001/h", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")

    static let table = RoutingTable(routes: [Route(name: "general", requirements: Requirements(skills: ["general": 1]))])

    static func agent(_ id: String, status: Presence = .online, chat: Int = 2) -> Agent {
        Agent(id: id, name: id, status: status, skills: ["general": 3], capacity: ["chat": chat, "email": 5], desk: desk)
    }

    static func event(
        _ webhookId: String, conversation: String = "c-1", channel: String = "chat", customerId: String? = "u-1",
        email: String? = "ana@example.com", messageId: String = "m-1", text: String = "hello"
    ) -> InboundEvent {
        var customer: [String: Any] = ["name": "Ana"]
        customer["id"] = customerId
        customer["email"] = email
        let body: [String: Any] = [
            "conversation_id": conversation, "channel": channel, "customer": customer,
            "message": ["id": messageId, "text": text, "sent_at": "2027-01-15T08:00:00Z"],
        ]
        return InboundEvent(
            source: "web", kind: "standard", webhookId: webhookId, receivedAt: now,
            body: Array(try! JSONSerialization.data(withJSONObject: body)))
    }

    /// Pending events normalised as the router does it.
    static func routable(_ pending: [PendingEvent]) throws -> [RoutableEvent] {
        try pending.map { pending in
            let event = pending.event
            return RoutableEvent(
                sequence: pending.sequence, receivedAt: event.receivedAt,
                message: try StandardPayload.message(from: event.body, source: event.source, receivedAt: event.receivedAt))
        }
    }

    /// Appends and routes events through an engine rebuilt from the store, returning the summary.
    @discardableResult
    static func route(_ store: any Store, _ events: [InboundEvent]) async throws -> ApplySummary {
        for event in events { _ = try await store.append(event) }
        let engine = try await EngineHarness(store: store, table: table, now: now)
        return try await engine.apply(try routable(try await store.pendingEvents(limit: 100)), now: now)
    }

    @Test("append stores once; the same webhook id is a duplicate; events survive reopening", arguments: StoreKind.allCases)
    func appendIsIdempotentAndDurable(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        guard case .stored(let first) = try await store.append(Self.event("w-1")) else {
            Issue.record("first append not stored")
            return
        }
        #expect(try await store.append(Self.event("w-1")) == .duplicate)
        guard case .stored(let second) = try await store.append(Self.event("w-2")) else {
            Issue.record("second append not stored")
            return
        }
        #expect(second > first)
        let reopened = try await reopen()
        let pending = try await reopened.pendingEvents(limit: 10)
        #expect(pending.map(\.sequence) == [first, second])
        #expect(try Self.routable(pending).first?.message?.text == "hello")
        #expect(pending.first?.event.kind == "standard")
    }

    @Test("checkpoints of the inbound log while appending lose nothing", arguments: StoreKind.allCases)
    func maintenanceKeepsEvents(_ kind: StoreKind) async throws {
        let (store, reopen) = try await kind.make()
        // What the store's service runs in the background (SQLite's checkpoints; PostgreSQL has none).
        let sqlite = store as? SQLiteStore
        let checkpoint: @Sendable () async throws -> Void = { try await sqlite?.checkpoint() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                group.addTask { _ = try await store.append(Self.event("w-\(index)", conversation: "c-\(index)")) }
                if index % 50 == 0 { group.addTask { try await checkpoint() } }
            }
            try await group.waitForAll()
        }
        try await checkpoint()
        #expect(try await reopen().pendingEvents(limit: 1000).count == 300)
    }

    @Test("concurrent appends are all committed, each exactly once", arguments: StoreKind.allCases)
    func concurrentAppends(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        let outcomes = try await withThrowingTaskGroup(of: AppendOutcome.self) { group in
            for index in 0..<400 {
                // Every id twice: 400 appends, 200 distinct.
                group.addTask { try await store.append(Self.event("w-\(index % 200)", conversation: "c-\(index % 200)")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .duplicate }.count == 200)
        #expect(try await store.pendingEvents(limit: 1000).count == 200)
    }

    @Test("routing assigns, holds capacity, queues a delivery, and advances the cursor", arguments: StoreKind.allCases)
    func routesOnce(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana")])
        let summary = try await Self.route(store, [Self.event("w-1")])
        #expect(summary.offered == 1)
        #expect(try await store.pendingEvents(limit: 10).isEmpty)
        #expect(try await store.agentSnapshots().first?.load == ["chat": 1])
        let due = try await store.dueDeliveries(now: Self.now, limit: 10)
        #expect(due.count == 1)
        #expect(due.first?.agentId == "ana")
        #expect(due.first?.desk == Self.desk)
        // Applying the same events again changes nothing: the cursor moved in the same transaction.
        let replay = try Self.routable([PendingEvent(sequence: 1, event: Self.event("w-1"))])
        let again = try await EngineHarness(store: store, table: Self.table, now: Self.now).apply(replay, now: Self.now)
        #expect(again.events == 0)
        #expect(try await store.dueDeliveries(now: Self.now, limit: 10).count == 1)
    }

    @Test("a later message is a follow-up; a repeated message id is ignored", arguments: StoreKind.allCases)
    func followUps(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana")])
        try await Self.route(store, [Self.event("w-1")])
        let summary = try await Self.route(
            store, [Self.event("w-2", messageId: "m-2", text: "more"), Self.event("w-3", messageId: "m-2", text: "more")])
        #expect(summary.followUps == 1)
        #expect(summary.repeatedMessages == 1)
        #expect(try await store.agentSnapshots().first?.load == ["chat": 1])
        // A handoff's deliveries go out in order: the message waits until the handoff is delivered,
        // even while the handoff waits for a retry.
        let first = try await store.dueDeliveries(now: Self.now, limit: 10)
        #expect(first.map(\.kind) == ["handoff"])
        let handoff = try #require(first.first)
        try await store.scheduleRetry(id: handoff.id, attempts: 1, nextAttemptAt: Self.now.addingTimeInterval(60), error: "HTTP 503")
        #expect(try await store.dueDeliveries(now: Self.now.addingTimeInterval(30), limit: 10).isEmpty)
        #expect(try await store.nextDeliveryDue() == Self.now.addingTimeInterval(60))
        try await store.markDelivered(id: handoff.id, at: Self.now.addingTimeInterval(60))
        #expect(try await store.dueDeliveries(now: Self.now.addingTimeInterval(60), limit: 10).map(\.kind) == ["message"])
    }

    @Test("with nobody eligible it waits; freed capacity and presence offer it", arguments: StoreKind.allCases)
    func waitingAndDispatch(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana", chat: 1), Self.agent("ben", status: .offline)])
        try await Self.route(store, [Self.event("w-1")])
        let second = try await Self.route(store, [Self.event("w-2", conversation: "c-2", customerId: "u-2", email: "b@x.io")])
        #expect(second.waiting == 1)
        #expect(try await store.agentSnapshots().first { $0.agent.id == "ana" }?.load == ["chat": 1])

        // Freed capacity: resolving ana's conversation offers her the waiting one, in the same transaction.
        let engine = try await EngineHarness(store: store, table: Self.table, now: Self.now)
        let first = try #require(try await store.dueDeliveries(now: Self.now, limit: 10).first).payloadConversationId
        let effects = try await engine.commit(.resolution(conversationId: first, outcome: "done", notes: nil)) {
            try $0.resolve(conversationId: first, now: Self.now)
        }
        #expect(effects.offers.map(\.agentId) == ["ana"])
        #expect(try await store.conversation(id: first)?.status == .resolved)
        #expect(try await store.agentSnapshots().first { $0.agent.id == "ana" }?.load == ["chat": 1])
        #expect(try await store.dueDeliveries(now: Self.now, limit: 10).filter { $0.kind == "handoff" }.count == 2)

        // A third conversation waits until ben comes online.
        try await Self.route(store, [Self.event("w-3", conversation: "c-3", customerId: "u-3", email: "c@x.io")])
        let online = try await EngineHarness(store: store, table: Self.table, now: Self.now)
        let offered = try await online.commit(.presence(agentId: "ben", status: .online)) {
            try $0.setPresence(agentId: "ben", status: .online, now: Self.now)
        }
        #expect(offered.offers.map(\.agentId) == ["ben"])
        #expect(try await store.agentSnapshots().first { $0.agent.id == "ben" }?.agent.status == .online)
    }

    @Test("a refused change writes nothing; resolve keeps outcome and notes and frees capacity", arguments: StoreKind.allCases)
    func resolve(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana")])
        try await Self.route(store, [Self.event("w-1")])
        let id = try #require(try await store.dueDeliveries(now: Self.now, limit: 1).first).payloadConversationId
        let engine = try await EngineHarness(store: store, table: Self.table, now: Self.now)
        await #expect(throws: RoutingRefusal.unknownConversation("cv_missing")) {
            try await engine.commit(.presence(agentId: "ana", status: .away)) {
                try $0.resolve(conversationId: "cv_missing", now: Self.now)
            }
        }
        #expect(try await store.agentSnapshots().first?.agent.status == .online)
        try await engine.commit(.resolution(conversationId: id, outcome: "refunded", notes: "card")) {
            try $0.resolve(conversationId: id, now: Self.now)
        }
        let resolved = try #require(try await store.conversation(id: id))
        #expect(resolved.status == .resolved)
        #expect(resolved.outcome == "refunded")
        #expect(resolved.notes == "card")
        #expect(try await store.agentSnapshots().first?.load == [:])
    }

    @Test("offers, declines and acceptances survive a rebuild of the engine from the store", arguments: StoreKind.allCases)
    func routingStateRoundTrip(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana"), Self.agent("ben")])
        try await Self.route(store, [Self.event("w-1"), Self.event("w-2", conversation: "c-2", customerId: "u-2", email: "b@x.io")])
        let engine = try await EngineHarness(store: store, table: Self.table, now: Self.now)
        let handoffs = try await store.dueDeliveries(now: Self.now, limit: 10)
        let first = try #require(handoffs.first { $0.agentId == "ana" })
        let declined = try await engine.commit(.none) {
            try $0.decline(handoffId: first.id, reason: "busy", now: Self.now)
        }
        #expect(declined.offers.map(\.agentId) == ["ben"])
        let state = try await store.routingState()
        let open = try #require(state.open.first { $0.conversationId == first.payloadConversationId })
        #expect(open.declined == ["ana"])
        #expect(open.holding?.agentId == "ben")
        #expect(open.holding?.accepted == false)
        #expect(state.agents.first { $0.agent.id == "ben" }?.load == ["chat": 2])
        #expect(state.agents.first { $0.agent.id == "ana" }?.load == [:])
        let rebuilt = RoutingEngine(table: Self.table, agents: state.agents, open: state.open, now: Self.now)
        #expect(rebuilt.status(of: first.payloadConversationId) == .offered)
        #expect(rebuilt.agent("ben")?.load == ["chat": 2])
    }

    @Test("one customer across channels: the email conversation has the chat in its history", arguments: StoreKind.allCases)
    func customerAcrossChannels(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana")])
        try await Self.route(store, [Self.event("w-1", text: "first, by chat")])
        try await Self.route(
            store, [Self.event("w-2", conversation: "mail-1", channel: "email", customerId: nil, email: "ANA@example.com")])
        let handoffs = try await store.dueDeliveries(now: Self.now, limit: 10).filter { $0.kind == "handoff" }
        #expect(handoffs.count == 2)
        let packets = try handoffs.map { try JSONDecoder.iso8601.decode(HandoffPacket.self, from: Data($0.payload)) }
        let email = try #require(packets.first { $0.conversation.channel == "email" })
        let chat = try #require(packets.first { $0.conversation.channel == "chat" })
        #expect(email.customer.id == chat.customer.id)
        #expect(email.history.map(\.id) == [chat.conversation.id])
        #expect(email.history.first?.firstMessage == "first, by chat")
        #expect(email.routing.rule == "previous agent")
    }

    @Test(
        "in one batch, each event sees what the events before it stored: a new customer, their conversation, its messages",
        arguments: StoreKind.allCases)
    func oneBatchBuildsOnItself(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana")])
        let summary = try await Self.route(
            store,
            [
                Self.event("w-1", text: "first, by chat"),
                Self.event("w-2", messageId: "m-2", text: "more"),
                Self.event("w-3", conversation: "mail-1", channel: "email", customerId: nil, email: "ANA@example.com"),
                Self.event("w-4", messageId: "m-2", text: "more"),
            ])
        #expect(summary.events == 4)
        #expect(summary.offered == 2)
        #expect(summary.followUps == 1)
        #expect(summary.repeatedMessages == 1)
        let handoffs = try await store.dueDeliveries(now: Self.now, limit: 10).filter { $0.kind == "handoff" }
        let packets = try handoffs.map { try JSONDecoder.iso8601.decode(HandoffPacket.self, from: Data($0.payload)) }
        let chat = try #require(packets.first { $0.conversation.channel == "chat" })
        let email = try #require(packets.first { $0.conversation.channel == "email" })
        // The first contact's handoff: its one message, the customer as stored, nothing earlier.
        #expect(chat.conversation.messages.map(\.text) == ["first, by chat"])
        #expect(chat.customer.name == "Ana")
        #expect(
            chat.customer.identities
                == [Identity(kind: .email, value: "ana@example.com"), Identity(kind: .sourceUser, value: "web:u-1")])
        #expect(chat.history.isEmpty)
        #expect(chat.historySummary == HistorySummary())
        // The second conversation found the customer the first one created, and its history.
        #expect(email.customer.id == chat.customer.id)
        #expect(email.history.map(\.id) == [chat.conversation.id])
        #expect(email.historySummary.conversations == 1)
        #expect(email.routing.rule == "previous agent")
        let conversation = try #require(try await store.conversation(id: chat.conversation.id))
        #expect(conversation.customerId == chat.customer.id)
    }

    @Test("deliveries are retried later and marked done once", arguments: StoreKind.allCases)
    func deliveryLifecycle(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana")])
        try await Self.route(store, [Self.event("w-1")])
        let delivery = try #require(try await store.dueDeliveries(now: Self.now, limit: 10).first)
        try await store.scheduleRetry(id: delivery.id, attempts: 1, nextAttemptAt: Self.now.addingTimeInterval(30), error: "HTTP 500")
        #expect(try await store.dueDeliveries(now: Self.now, limit: 10).isEmpty)
        #expect(try await store.nextDeliveryDue() == Self.now.addingTimeInterval(30))
        let later = try #require(try await store.dueDeliveries(now: Self.now.addingTimeInterval(31), limit: 10).first)
        #expect(later.attempts == 1)
        try await store.markDelivered(id: later.id, at: Self.now)
        #expect(try await store.dueDeliveries(now: Self.now.addingTimeInterval(1000), limit: 10).isEmpty)
        #expect(try await store.nextDeliveryDue() == nil)
    }

    @Test("decisions are kept and read back in order", arguments: StoreKind.allCases)
    func decisions(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        try await store.upsertAgents([Self.agent("ana", status: .offline)])
        try await Self.route(store, [Self.event("w-1")])
        let engine = try await EngineHarness(store: store, table: Self.table, now: Self.now)
        let agent = Self.agent("ana")
        try await engine.commit(.agent(agent)) { $0.upsertAgent(agent, now: Self.now) }
        let delivery = try #require(try await store.dueDeliveries(now: Self.now, limit: 1).first)
        let decisions = try await store.decisions(conversationId: delivery.payloadConversationId)
        #expect(decisions.map(\.outcome) == [.waiting, .offered])
        #expect(decisions.first?.excluded.first?.reasons == ["offline"])
        #expect(decisions.last?.trigger == "agent available: ana")
    }
}

extension DueDelivery {
    /// The conversation id inside a handoff payload.
    var payloadConversationId: String {
        (try? JSONDecoder.iso8601.decode(HandoffPacket.self, from: Data(payload)).conversation.id) ?? ""
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
