import Foundation
import Synchronization
import SwitchboardCore
import SwitchboardStore

/// A store with agents and a routing engine, fed messages from several sources and channels the way
/// the router feeds them, for the customer memory tests.
final class MemoryHarness: Sendable {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let desk = Desk(url: "http://127.0.0.1:9001/h", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    static let table = RoutingTable(routes: [Route(name: "general", requirements: Requirements(skills: ["general": 1]))])

    let store: any Store
    let engine: EngineHarness
    private let sequence = Mutex<Int64>(0)

    init(_ kind: StoreKind, agents: [Agent], limits: HistoryLimits = HistoryLimits()) async throws {
        store = try await kind.make(limits: limits).store
        try await store.upsertAgents(agents)
        engine = try await EngineHarness(store: store, table: Self.table, now: Self.start)
    }

    static func agent(_ id: String, status: Presence = .online, chat: Int = 3) -> Agent {
        Agent(id: id, name: id.capitalized, status: status, skills: ["general": 3], capacity: ["chat": chat, "email": 5], desk: desk)
    }

    /// Routes one customer message; returns the offers it caused.
    @discardableResult
    func send(
        source: String = "web", conversation: String, channel: String = "chat", customer: CustomerInfo,
        text: String = "hello", at: Date = MemoryHarness.start
    ) async throws -> [Offer] {
        let number = sequence.withLock { value -> Int64 in
            value += 1
            return value
        }
        let message = InboundMessage(
            source: source, conversationId: conversation, channel: channel, customer: customer,
            messageId: "m-\(number)", text: text, sentAt: at)
        let offers = Mutex<[Offer]>([])
        _ = try await store.apply([RoutableEvent(sequence: number, receivedAt: at, message: message)], now: at) { input in
            let effects = self.engine.engine.withLock { $0.message(input, now: at) }
            offers.withLock { $0 += effects.offers }
            return effects
        }
        return offers.withLock { $0 }
    }

    /// The customer holding an identity.
    func customer(_ identity: Identity) async throws -> CustomerRecord? {
        guard let id = try await store.customerId(for: identity) else { return nil }
        return try await store.customer(id: id)
    }

    /// The customer holding an email address, written in any case.
    func customer(email: String) async throws -> CustomerRecord? {
        guard let identity = Identity.email(email) else { throw HarnessError("not an email address: \(email)") }
        return try await customer(identity)
    }

    /// What the handoff of the first offered conversation carries at `at`.
    func context(of offers: [Offer], at: Date) async throws -> HandoffContext {
        guard let offer = offers.first else { throw HarnessError("nothing was offered") }
        guard let context = try await store.handoffContext(conversationId: offer.conversationId, now: at) else {
            throw HarnessError("no context for \(offer.conversationId)")
        }
        return context
    }

    /// Accepts (when only offered) and resolves, with the agent's outcome, notes and promise.
    func resolve(
        _ conversationId: String, outcome: String = "solved", notes: String? = nil, promise: PromiseRequest? = nil,
        at: Date = MemoryHarness.start
    ) async throws {
        try await store.commit(
            .resolution(conversationId: conversationId, outcome: outcome, notes: notes, promise: promise), now: at
        ) {
            let effects = try self.engine.engine.withLock { try $0.resolve(conversationId: conversationId, now: at) }
            return ((), effects)
        }
    }

    /// Opens the follow-ups of promises due by `at`; returns the offers made for them.
    func followUpDuePromises(at: Date, holdForAgent: Double = 300) async throws -> [Offer] {
        let offers = Mutex<[Offer]>([])
        _ = try await store.dispatchDuePromises(now: at, holdForAgent: holdForAgent, limit: 100) { input in
            let effects = self.engine.engine.withLock { $0.message(input, now: at) }
            offers.withLock { $0 += effects.offers }
            return effects
        }
        return offers.withLock { $0 }
    }

    /// Runs the engine's timers due by `at`; returns the offers made.
    func tick(at: Date) async throws -> [Offer] {
        try await store.commit(.none, now: at) {
            let effects = self.engine.engine.withLock { $0.tick(now: at) }
            return (effects.offers, effects)
        }
    }

    /// Rebuilds the engine from the store, as a restarted server does.
    func restart(at: Date) async throws {
        let state = try await store.routingState()
        engine.engine.withLock { $0 = RoutingEngine(table: Self.table, agents: state.agents, open: state.open, now: at) }
    }

    func accept(_ offer: Offer, at: Date) async throws {
        try await store.commit(.none, now: at) {
            let effects = try self.engine.engine.withLock { try $0.accept(handoffId: offer.handoffId, now: at) }
            return ((), effects)
        }
    }

    func setPresence(_ agentId: String, _ status: Presence, at: Date) async throws {
        try await store.commit(.presence(agentId: agentId, status: status), now: at) {
            let effects = try self.engine.engine.withLock { try $0.setPresence(agentId: agentId, status: status, now: at) }
            return ((), effects)
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
