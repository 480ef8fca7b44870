import Foundation
import HeapModule

#if canImport(Glibc)
import Glibc
#endif

/// The router's memory: every agent with live load, every waiting or held conversation, the open
/// offers and the timers (offer deadlines, relax steps, the end of a hold for a previous agent).
///
/// Pure and synchronous: each call takes the time and returns the effects for the store to persist
/// in the same transaction as the call's cause. If that transaction fails, the engine is rebuilt from
/// the store. One caller at a time.
public struct RoutingEngine: Sendable {
    public internal(set) var table: RoutingTable
    var board: AgentBoard
    /// Waiting and held conversations; resolved ones are forgotten.
    var conversations: [String: ConversationState] = [:]
    /// Open offers and assignments: handoff id to conversation id.
    var handoffs: [String: String] = [:]
    /// Unaccepted offers per agent index, withdrawn when the agent goes away.
    var offersByAgent: [Int: Set<String>] = [:]
    /// Waiting conversations holding out for their previous agent, by that agent's index: offered
    /// to someone else at once when the agent goes away or offline. Entries for conversations offered
    /// since are dropped when met.
    var holdingFor: [Int: Set<String>] = [:]
    var queue = WaitingQueue()
    var timers = Heap<EngineTimer>()
    var sequence = 0
    let makeId: @Sendable (String) -> String
    /// Per route, the skills left once every relax step applied: an agent below them can never take it.
    let floors: [[String: Int]]

    /// - Parameters:
    ///   - agents: every agent with the load they hold (offers included).
    ///   - open: the waiting and held conversations, as the store has them.
    ///   - makeId: makes a unique id with the given prefix (`ho_`); injectable for tests.
    public init(
        table: RoutingTable, agents: [AgentSnapshot], open: [OpenConversation] = [], now: Date,
        makeId: @escaping @Sendable (String) -> String = RoutingEngine.randomId
    ) {
        self.table = table
        self.board = AgentBoard(agents)
        self.makeId = makeId
        self.floors = table.routes.map(\.mostRelaxedSkills)
        for conversation in open { restore(conversation, now: now) }
    }

    /// `prefix` followed by 32 lowercase hex digits of 128 random bits from the system's generator.
    public static let randomId: @Sendable (String) -> String = { prefix in
        let words = randomWords()
        let prefixLength = prefix.utf8.count
        return String(unsafeUninitializedCapacity: prefixLength + 32) { buffer in
            _ = buffer.initialize(fromContentsOf: prefix.utf8)
            for digit in 0..<32 {
                let word = digit < 16 ? words.0 : words.1
                let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (digit % 16))) & 0xF
                buffer[prefixLength + digit] = nibble < 10 ? 48 + nibble : 87 + nibble  // 0-9, a-f
            }
            return prefixLength + 32
        }
    }

    /// 128 random bits in one call to the kernel's generator: an id is made per offer, and each call
    /// is a system call (glibc's arc4random_buf reads getrandom; half the cost of two 64-bit draws).
    private static func randomWords() -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        #if canImport(Glibc)
        withUnsafeMutableBytes(of: &words) { arc4random_buf($0.baseAddress!, 16) }
        #else
        var generator = SystemRandomNumberGenerator()
        words = (generator.next(), generator.next())
        #endif
        return words
    }

    /// Waiting conversations.
    public var waitingCount: Int { queue.count }

    /// When `tick` next has something to do.
    public var nextTimer: Date? { timers.min.map { Date(timeIntervalSince1970: $0.at) } }

    public func agent(_ id: String) -> AgentSnapshot? { board.indexById[id].map { board.snapshot($0) } }

    /// Where a conversation stands in the engine: waiting, offered (to whom), held, or unknown (resolved).
    public func status(of conversationId: String) -> ConversationStatus? {
        guard let state = conversations[conversationId] else { return nil }
        guard let holder = state.holder else { return .waiting }
        return holder.accepted ? .assigned : .offered
    }

    // MARK: messages

    /// A customer message, already stored: offers a new or reopened conversation, re-routes a waiting
    /// one, follows a held one up to its agent, or moves it in one hop when its agent no longer meets
    /// the new requirements (a refund now above their limit).
    public mutating func message(_ input: ConversationMessage, now: Date) -> [RoutingEffect] {
        let match = table.match(input.message)
        guard var state = conversations[input.conversationId] else {
            sequence += 1
            var state = ConversationState(
                id: input.conversationId, channel: input.channel, queuedAt: input.receivedAt,
                previous: input.previousAgentId, transfers: input.transfers, sequence: sequence)
            state.apply(match)
            state.holdForPrevious = input.holdForPrevious
            conversations[state.id] = state
            let trigger: Trigger = input.holdForPrevious != nil ? .promiseDue : input.isNew ? .newConversation : .newMessage
            return offerOrWait(state.id, trigger: trigger, now: now)
        }
        state.apply(match)
        conversations[state.id] = state
        guard let holder = state.holder else {
            return offerOrWait(state.id, trigger: .newMessage, now: now)
        }
        let agent = board.slots[holder.agent]
        if let route = state.route, let base = state.base {
            let (requirements, _, _) = table.routes[route].relaxed(base, waited: now.timeIntervalSince(state.queuedAt))
            if !Need(requirements, on: board).isQualified(holder.agent, on: board) {
                let reasons = Eligibility.reasons(board.snapshot(holder.agent), requirements: requirements, channel: state.channel)
                    .filter { !$0.isLoad }
                return move(state.id, trigger: .escalated(agent: agent.agent.id, reasons: reasons), now: now)
            }
        }
        return [
            .followUp(
                FollowUp(
                    conversationId: state.id, handoffId: holder.handoffId, agentId: agent.agent.id,
                    agentName: agent.agent.name, message: input.message))
        ]
    }

    // MARK: offering

    /// Offers the conversation to the best eligible agent, or keeps it waiting. `recordWait` false skips
    /// the decision of a wait that changes nothing (a timer that found nobody yet).
    mutating func offerOrWait(
        _ conversationId: String, trigger: Trigger, now: Date, recordWait: Bool = true
    ) -> [RoutingEffect] {
        guard let state = conversations[conversationId], state.holder == nil else { return [] }
        let waitedMs = Int((now.timeIntervalSince(state.queuedAt) * 1000).rounded())
        guard let routeIndex = state.route, let base = state.base else {
            queue.remove(conversationId)
            let decision = Decision(
                at: now, outcome: .noRoute, trigger: trigger, facts: state.facts,
                why: ["no route applies to this conversation"], summary: "No route applies to this conversation.",
                waitedMs: max(0, waitedMs))
            return recordWait ? [.wait(Wait(conversationId: state.id, decision: decision, queuedAt: state.queuedAt, priority: 0))] : []
        }
        // Fields are read in place: taking the route out would retain every part of it. The wait is counted in whole
        // milliseconds: a timer run at exactly its time (start + 20 s) must see the 20 s step as reached, where the
        // difference of two dates may come out a hair short of it and set the same timer again.
        let waited = (now.timeIntervalSince(state.queuedAt) * 1000).rounded() / 1000
        let (requirements, preference, applied) = policy(
            route: routeIndex, base: base, waited: waited, holdForPrevious: state.holdForPrevious)
        let need = Need(requirements, on: board)
        let request = MatchRequest(
            need: need, channel: state.channel, declined: state.declined, current: nil, previous: state.previous,
            preference: preference, waited: waited, pool: board.pool(for: need, channel: state.channel))
        let result = board.match(request)
        var decision = Decision(
            at: now, outcome: .waiting, trigger: trigger, route: state.routeName, facts: state.facts,
            requirements: requirements, relaxed: applied.map(\.description), priority: state.priority,
            considered: result.considered, candidates: result.candidates, eligible: result.eligible,
            eligibleCount: result.eligibleCount, excluded: result.excluded, excludedCounts: result.excludedCounts,
            declined: state.declined.sorted(), movedFrom: state.movedFrom, waitedMs: max(0, waitedMs))
        if let chosen = result.chosen {
            decision.outcome = .offered
            decision.agent = board.slots[chosen].agent.id
            decision.rule = result.rule
            decision.why = result.why
            decision.summary = result.summary
            return [
                .offer(
                    offer(
                        conversationId, to: chosen, decision: decision, routeName: state.routeName ?? "",
                        offerTimeout: table.routes[routeIndex].offerTimeout, now: now))
            ]
        }
        if let holding = result.holdingFor {
            let holdName = board.slot(holding)?.agent.name ?? holding
            decision.why = ["holding for the previous agent \(holding), who is busy, until \(Int(preference.holdSeconds))s of waiting"]
            decision.summary = "Waiting up to \(Int(preference.holdSeconds)) seconds for \(holdName), the customer's previous agent."
        } else {
            decision.why = ["no eligible agent; waiting for one to become available"]
            decision.summary = "No eligible agent is available; the conversation waits for one."
        }
        if let holding = result.holdingFor, let index = board.indexById[holding] {
            holdingFor[index, default: []].insert(conversationId)
        }
        enqueue(state, waited: waited, holding: result.holdingFor != nil ? preference.holdSeconds : nil)
        return recordWait
            ? [.wait(Wait(conversationId: state.id, decision: decision, queuedAt: state.queuedAt, priority: state.priority))]
            : []
    }

    /// The requirements and preference in force after waiting `waited` seconds, with the relax steps
    /// that applied. A promise's follow-up holds out for the agent who made it, whatever the route prefers.
    func policy(
        route: Int, base: ResolvedRequirements, waited: Double, holdForPrevious: Double?
    ) -> (ResolvedRequirements, Preference, [RelaxStep]) {
        let (requirements, preference, applied) = table.routes[route].relaxed(base, waited: waited)
        let held = holdForPrevious.map { Preference(previousAgent: true, holdSeconds: $0) }
        return (requirements, held ?? preference, applied)
    }

    /// Queues a waiting conversation and sets its timer: the next relax step, or the end of holding out
    /// for the previous agent (`holding` seconds of waiting), whichever comes first.
    mutating func enqueue(_ state: ConversationState, waited: Double, holding: Double?) {
        queue.insert(
            state.id, group: .init(channel: state.channel, route: state.route!),
            position: .init(priority: state.priority, queuedAt: state.queuedAt.timeIntervalSince1970, sequence: state.sequence))
        let start = state.queuedAt.timeIntervalSince1970
        var next = table.routes[state.route!].nextRelaxation(after: waited).map { start + $0 }
        if let holding, holding > waited { next = min(next ?? .infinity, start + holding) }
        if let next { timers.insert(EngineTimer(at: next, kind: .recheck(state.id))) }
    }

    /// Makes the offer: holds the agent's capacity and starts the offer's clock.
    mutating func offer(
        _ conversationId: String, to agent: Int, decision: consuming Decision, routeName: String, offerTimeout: Double,
        now: Date
    ) -> Offer {
        var state = conversations[conversationId]!
        let channel = board.internChannel(state.channel)
        let handoffId = makeId("ho_")
        let deadline = now.addingTimeInterval(offerTimeout)
        board.hold(agent, channel: channel, at: now)
        if state.movedFrom != nil { state.transfers += 1 }
        state.holder = Holder(agent: agent, handoffId: handoffId, channel: channel, accepted: false, deadline: deadline)
        let movedFrom = state.movedFrom
        state.movedFrom = nil
        conversations[conversationId] = state
        handoffs[handoffId] = conversationId
        offersByAgent[agent, default: []].insert(handoffId)
        queue.remove(conversationId)
        if let previous = state.previous, let index = board.indexById[previous] { holdingFor[index]?.remove(conversationId) }
        timers.insert(EngineTimer(at: deadline.timeIntervalSince1970, kind: .offerDeadline(handoffId)))
        decision.movedFrom = movedFrom
        let slot = board.slots[agent]
        return Offer(
            handoffId: handoffId, conversationId: conversationId, agentId: slot.agent.id, agentName: slot.agent.name,
            channel: state.channel, route: routeName, decision: decision, deadline: deadline,
            transfers: state.transfers, queuedAt: state.queuedAt, priority: state.priority)
    }

    /// Offers waiting conversations to an agent while they have free slots: highest priority first,
    /// then oldest, across the channels where they have room.
    mutating func fill(_ agent: Int, now: Date) -> [RoutingEffect] {
        var effects: [RoutingEffect] = []
        let name = board.slots[agent].agent.id
        let slots = board.channels.values.reduce(0) { $0 + board.capacity(agent, channel: $1) }
        for _ in 0..<max(1, slots) {
            guard board.isReachable(agent), let next = nextFor(agent, now: now) else { break }
            let offered = offerOrWait(next, trigger: .agentAvailable(agent: name), now: now, recordWait: false)
            if offered.isEmpty { break }
            effects += offered
        }
        return effects
    }

    /// The waiting conversation that `agent` should take next, if any.
    private func nextFor(_ agent: Int, now: Date) -> String? {
        let skills = board.slots[agent].agent.skills
        var best: (String, WaitingQueue.Position)?
        for (channel, channelId) in channelNames where board.canTakeMore(agent, channel: channelId) {
            let found = queue.first(
                channel: channel,
                canServe: { route in floors[route].allSatisfy { (skills[$0.key] ?? 0) >= $0.value } },
                accepts: { conversationId in acceptsNow(conversationId, agent: agent, now: now) })
            if let found, best.map({ found.position < $0.1 }) ?? true { best = (found.conversationId, found.position) }
        }
        return best?.0
    }

    private var channelNames: [(String, Int)] {
        queue.channels.compactMap { name in board.channelId(name).map { (name, $0) } }
    }

    /// Whether `agent` may be offered the waiting conversation now (capacity aside).
    func acceptsNow(_ conversationId: String, agent: Int, now: Date) -> Bool {
        guard let state = conversations[conversationId], let route = state.route, let base = state.base else { return false }
        let id = board.slots[agent].agent.id
        if state.declined.contains(id) { return false }
        let waited = now.timeIntervalSince(state.queuedAt)
        let (requirements, preference, _) = policy(
            route: route, base: base, waited: waited, holdForPrevious: state.holdForPrevious)
        let need = Need(requirements, on: board)
        guard need.isQualified(agent, on: board) else { return false }
        if preference.previousAgent, preference.holdSeconds > waited, let previous = state.previous, previous != id,
            let held = board.indexById[previous], let channel = board.channelId(state.channel)
        {
            let request = MatchRequest(need: need, channel: state.channel, declined: state.declined)
            if board.isWorthHoldingFor(held, request, channel: channel) { return false }
        }
        return true
    }
}
