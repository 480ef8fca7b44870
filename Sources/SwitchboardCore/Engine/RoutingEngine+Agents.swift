import Foundation

/// Why the engine refused an agent's or admin's request; the API answers 404 or 409 with the description.
public enum RoutingRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownHandoff(String)
    case unknownConversation(String)
    case unknownAgent(String)
    /// The offer was accepted already: transfer or resolve instead.
    case alreadyAccepted(String)
    /// The conversation is only offered, not accepted: accept or decline the offer first.
    case notAccepted(String)
    case notEligible(Exclusion)
    case nobodyEligible(String)

    public var isNotFound: Bool {
        switch self {
        case .unknownHandoff, .unknownConversation, .unknownAgent: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unknownHandoff(let id): "no open offer or assignment \"\(id)\""
        case .unknownConversation(let id): "conversation \"\(id)\" is not waiting for or held by an agent"
        case .unknownAgent(let id): "unknown agent \"\(id)\""
        case .alreadyAccepted(let id): "handoff \(id) was accepted already; transfer or resolve the conversation instead"
        case .notAccepted(let id): "conversation \(id) is only offered; accept or decline the offer first"
        case .notEligible(let exclusion):
            "agent \(exclusion.agent) cannot take it: " + exclusion.reasons.joined(separator: ", ")
        case .nobodyEligible(let summary): "nobody can take it now: \(summary)"
        }
    }
}

/// What an agent asks a transfer to go to.
public enum TransferTarget: Sendable {
    /// A named agent, who must be reachable, have a free slot and hold the route's authority.
    case agent(String)
    /// The best eligible agent for these requirements; the route's authority requirements always apply too.
    case requirements(Requirements)
}

extension RoutingEngine {
    // MARK: start-up

    mutating func restore(_ open: OpenConversation, now: Date) {
        sequence += 1
        var state = ConversationState(
            id: open.conversationId, channel: open.channel, queuedAt: open.queuedAt, previous: open.previousAgentId,
            transfers: open.transfers, sequence: sequence)
        state.apply(table.match(open.message))
        state.declined = open.declined
        state.holdForPrevious = open.holdForPrevious
        if let holding = open.holding, let agent = board.indexById[holding.agentId] {
            let channel = board.internChannel(open.channel)
            // An offer keeps the deadline it was made with, whatever rebuilt the engine (a restart, another
            // instance's change): one that passed meanwhile lapses at the next tick. A fresh timeout on
            // every rebuild would let an offer outlive its timeout for as long as rebuilds keep coming.
            let deadline = holding.deadline
            state.holder = Holder(
                agent: agent, handoffId: holding.handoffId, channel: channel, accepted: holding.accepted,
                deadline: deadline)
            handoffs[holding.handoffId] = state.id
            if !holding.accepted {
                offersByAgent[agent, default: []].insert(holding.handoffId)
                timers.insert(EngineTimer(at: deadline.timeIntervalSince1970, kind: .offerDeadline(holding.handoffId)))
            }
            conversations[state.id] = state
        } else {
            conversations[state.id] = state
            if let route = state.route {
                let hold = state.holdForPrevious ?? table.routes[route].preference.holdSeconds
                enqueue(state, waited: now.timeIntervalSince(state.queuedAt), holding: hold)
                if hold > now.timeIntervalSince(state.queuedAt), let previous = state.previous,
                    let index = board.indexById[previous]
                {
                    holdingFor[index, default: []].insert(state.id)
                }
            }
        }
    }

    /// Offers waiting conversations to every agent with room, after a start or a change of tables. Unaccepted
    /// offers restored for agents who are no longer reachable (away, offline or without a desk) are withdrawn first.
    public mutating func dispatchAvailable(now: Date) -> [RoutingEffect] {
        var effects: [RoutingEffect] = []
        for (agent, handoffIds) in offersByAgent.sorted(by: { $0.key < $1.key }) where !board.isReachable(agent) {
            for handoffId in handoffIds.sorted() { effects += endOffer(handoffId, reason: .withdrawn, now: now) }
        }
        for agent in board.slots.indices where board.isReachable(agent) && queue.count > 0 {
            effects += fill(agent, now: now)
        }
        return effects
    }

    // MARK: offers

    /// Whether `agents` may act on what the agent at `index` holds: nil (an admin) may act on anyone's.
    func acts(_ agents: Set<String>?, for index: Int) -> Bool {
        agents.map { $0.contains(board.slots[index].agent.id) } ?? true
    }

    /// The agent takes the conversation; the time to agent is measured from the start of the wait.
    /// - Parameter agents: the agents the caller acts for (a desk's); an offer to anyone else is unknown to it.
    public mutating func accept(handoffId: String, now: Date, by agents: Set<String>? = nil) throws(RoutingRefusal)
        -> [RoutingEffect]
    {
        guard let conversationId = handoffs[handoffId], var state = conversations[conversationId],
            var holder = state.holder, holder.handoffId == handoffId, acts(agents, for: holder.agent)
        else { throw .unknownHandoff(handoffId) }
        if holder.accepted { return [] }  // accepting twice changes nothing
        holder.accepted = true
        state.holder = holder
        conversations[conversationId] = state
        offersByAgent[holder.agent]?.remove(handoffId)
        return [
            .accept(
                Acceptance(
                    handoffId: handoffId, conversationId: conversationId, agentId: board.slots[holder.agent].agent.id,
                    route: state.routeName, at: now, timeToAgent: max(0, now.timeIntervalSince(state.queuedAt))))
        ]
    }

    /// The agent declines: the conversation goes straight to the next best eligible agent, keeping its
    /// place (its original wait), and is never offered to this agent again.
    public mutating func decline(
        handoffId: String, reason: String, now: Date, by agents: Set<String>? = nil
    ) throws(RoutingRefusal) -> [RoutingEffect] {
        guard let conversationId = handoffs[handoffId], let holder = conversations[conversationId]?.holder,
            holder.handoffId == handoffId, acts(agents, for: holder.agent)
        else { throw .unknownHandoff(handoffId) }
        if holder.accepted { throw .alreadyAccepted(handoffId) }
        return endOffer(handoffId, reason: .declined(reason), now: now)
    }

    /// Ends an unaccepted offer (declined, lapsed or withdrawn) and offers the conversation again at once.
    mutating func endOffer(_ handoffId: String, reason: Release.Reason, now: Date) -> [RoutingEffect] {
        guard let conversationId = handoffs[handoffId], let holder = conversations[conversationId]?.holder else { return [] }
        let agent = board.slots[holder.agent].agent
        var effects = [release(conversationId, reason: reason, now: now)]
        if reason.excludesAgent { conversations[conversationId]?.declined.insert(agent.id) }
        let trigger: Trigger
        switch reason {
        case .declined(let why): trigger = .declined(agent: agent.id, reason: why)
        case .lapsed: trigger = .lapsed(agent: agent.id)
        default: trigger = agent.status == .online ? .deskRemoved(agent: agent.id) : .wentAway(agent: agent.id, status: agent.status)
        }
        effects += offerOrWait(conversationId, trigger: trigger, now: now)
        effects += fill(holder.agent, now: now)
        return effects
    }

    /// Frees the holder's capacity and forgets the holding; the caller decides what happens next.
    mutating func release(_ conversationId: String, reason: Release.Reason, now: Date) -> RoutingEffect {
        var state = conversations[conversationId]!
        let holder = state.holder!
        board.release(holder.agent, channel: holder.channel)
        handoffs[holder.handoffId] = nil
        offersByAgent[holder.agent]?.remove(holder.handoffId)
        state.holder = nil
        conversations[conversationId] = state
        return .release(
            Release(
                handoffId: holder.handoffId, conversationId: conversationId, agentId: board.slots[holder.agent].agent.id,
                agentName: board.slots[holder.agent].agent.name, route: state.routeName, reason: reason, at: now,
                transfers: state.transfers))
    }

    /// The agent resolved the conversation (accepting it first if they had not): capacity is freed and
    /// offered to the next waiting conversation.
    public mutating func resolve(conversationId: String, now: Date, by agents: Set<String>? = nil) throws(RoutingRefusal)
        -> [RoutingEffect]
    {
        guard let state = conversations[conversationId], let holder = state.holder, acts(agents, for: holder.agent) else {
            throw .unknownConversation(conversationId)
        }
        var effects: [RoutingEffect] = holder.accepted ? [] : try accept(handoffId: holder.handoffId, now: now)
        effects.append(release(conversationId, reason: .resolved, now: now))
        conversations[conversationId] = nil
        effects += fill(holder.agent, now: now)
        return effects
    }

    /// Moves an accepted conversation in one hop, to a named agent or to the best agent for the given
    /// requirements; never into a queue. The route's authority requirements are never waived.
    public mutating func transfer(
        conversationId: String, to target: TransferTarget, now: Date, by agents: Set<String>? = nil
    ) throws(RoutingRefusal) -> [RoutingEffect] {
        guard let state = conversations[conversationId], let holder = state.holder, acts(agents, for: holder.agent) else {
            throw .unknownConversation(conversationId)
        }
        guard holder.accepted else { throw .notAccepted(conversationId) }
        let from = board.slots[holder.agent].agent
        var requirements = ResolvedRequirements(skills: [:], authority: state.base?.authority ?? [:])
        var named: Int?
        switch target {
        case .agent(let id):
            guard let index = board.indexById[id] else { throw .unknownAgent(id) }
            named = index
        case .requirements(let asked):
            let resolved = asked.resolved(facts: state.facts)
            requirements.skills = resolved.skills
            for (key, need) in resolved.authority {
                let existing = requirements.authority[key]
                if existing == nil || (need.minimum ?? 0) > (existing?.minimum ?? 0) { requirements.authority[key] = need }
            }
        }
        let need = Need(requirements, on: board)
        let request = MatchRequest(
            need: need, channel: state.channel, declined: state.declined, current: from.id,
            previous: nil, preference: Preference(previousAgent: false), pool: board.pool(for: need, channel: state.channel))
        let chosen: Int
        var result = MatchResult()
        if let named {
            if board.exclusionKind(named, request, channel: board.internChannel(state.channel)) != nil {
                throw .notEligible(board.exclusion(named, request))
            }
            chosen = named
            let slot = board.slots[named]
            let qualifications = Eligibility.qualifications(slot.agent, requirements: requirements)
            result.rule = "named"
            result.why = ["named by \(from.id) in a transfer"] + qualifications
            result.summary = "\(slot.agent.name) was named by \(from.name) in a transfer"
                + (qualifications.isEmpty ? "." : " and meets " + qualifications.joined(separator: ", ") + ".")
            result.considered = 1
            result.candidates = [slot.agent.id]
            result.eligible = [slot.agent.id]
            result.eligibleCount = 1
        } else {
            result = board.match(request)
            guard let best = result.chosen else {
                let counts = result.excludedCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                throw .nobodyEligible(counts.isEmpty ? "no agent meets the requirements" : counts.joined(separator: ", "))
            }
            chosen = best
        }
        var effects = [release(conversationId, reason: .moved, now: now)]
        conversations[conversationId]?.movedFrom = from.id
        let decision = Decision(
            at: now, outcome: .offered, trigger: .transfer(from: from.id), route: state.routeName, facts: state.facts,
            requirements: requirements, priority: state.priority, considered: result.considered,
            candidates: result.candidates, eligible: result.eligible, eligibleCount: result.eligibleCount,
            excluded: result.excluded, excludedCounts: result.excludedCounts, agent: board.slots[chosen].agent.id,
            rule: result.rule, why: result.why, summary: result.summary,
            waitedMs: max(0, Int((now.timeIntervalSince(state.queuedAt) * 1000).rounded())))
        let timeout = state.route.map { table.routes[$0].offerTimeout } ?? Route.defaultOfferTimeout
        effects.append(
            .offer(
                offer(
                    conversationId, to: chosen, decision: decision, routeName: state.routeName ?? "transfer",
                    offerTimeout: timeout, now: now)))
        effects += fill(holder.agent, now: now)
        return effects
    }

    // MARK: agents

    /// Presence changed: going away or offline withdraws every unaccepted offer, which is offered again at
    /// once; accepted conversations stay with the agent. Coming online offers waiting conversations.
    public mutating func setPresence(agentId: String, status: Presence, now: Date) throws(RoutingRefusal) -> [RoutingEffect] {
        guard let index = board.indexById[agentId] else { throw .unknownAgent(agentId) }
        board.setPresence(index, status)
        return afterAgentChange(index, now: now)
    }

    /// A new or changed agent definition (presence included); the load they hold is kept.
    public mutating func upsertAgent(_ agent: Agent, now: Date) -> [RoutingEffect] {
        board.upsert(agent)
        return afterAgentChange(board.indexById[agent.id]!, now: now)
    }

    private mutating func afterAgentChange(_ index: Int, now: Date) -> [RoutingEffect] {
        var effects: [RoutingEffect] = []
        if !board.isReachable(index) {
            for handoffId in (offersByAgent[index] ?? []).sorted() {
                effects += endOffer(handoffId, reason: .withdrawn, now: now)
            }
            // A previous agent who is away or offline is never waited for.
            let held = (holdingFor.removeValue(forKey: index) ?? []).filter { queue.contains($0) }
            for conversationId in held.sorted(by: { queue.isBefore($0, $1) }) {
                effects += offerOrWait(conversationId, trigger: .previousAgentUnavailable, now: now, recordWait: false)
            }
            return effects
        }
        return fill(index, now: now)
    }
}

extension RoutingEngine {
    /// Releases the holder and offers the conversation to someone who meets its requirements now; when
    /// nobody does, it waits for one, and the next offer counts as the hop.
    mutating func move(_ conversationId: String, trigger: Trigger, now: Date) -> [RoutingEffect] {
        guard let holder = conversations[conversationId]?.holder else { return [] }
        var effects = [release(conversationId, reason: .moved, now: now)]
        conversations[conversationId]?.movedFrom = board.slots[holder.agent].agent.id
        effects += offerOrWait(conversationId, trigger: trigger, now: now)
        effects += fill(holder.agent, now: now)
        return effects
    }
}
