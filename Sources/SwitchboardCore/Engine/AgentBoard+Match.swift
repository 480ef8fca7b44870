import Foundation

/// Requirements compiled against a board: skills by interned id.
struct Need: Sendable {
    var requirements: ResolvedRequirements
    var skills: [SkillLevel]
    /// A required skill nobody on the board has ever held: nobody can be eligible.
    var unheldSkill: Bool
    var authority: [(key: String, need: ResolvedAuthority)]

    init(_ requirements: ResolvedRequirements, on board: AgentBoard) {
        self.requirements = requirements
        var skills: [SkillLevel] = []
        var unheld = false
        for (name, level) in requirements.skills where level > 0 {
            if let id = board.skillId(name) { skills.append(SkillLevel(skill: id, level: level)) } else { unheld = true }
        }
        self.skills = skills
        self.unheldSkill = unheld
        self.authority = requirements.authority.sorted { $0.key < $1.key }.map { (key: $0.key, need: $0.value) }
    }

    /// Whether the agent's skills and authority meet these requirements (presence and capacity aside).
    func isQualified(_ slot: AgentSlot) -> Bool {
        !unheldSkill && skillsMet(slot) && authorityMet(slot)
    }

    func skillsMet(_ slot: AgentSlot) -> Bool {
        for needed in skills where slot.level(needed.skill) < needed.level { return false }
        return true
    }

    func authorityMet(_ slot: AgentSlot) -> Bool {
        for (key, needed) in authority {
            guard let grant = slot.agent.authority[key], grant.isHeld else { return false }
            if let minimum = needed.minimum, (grant.numericValue ?? 0) < minimum { return false }
        }
        return true
    }
}

/// What to match: the requirements in force, the channel, and who must not or should come first.
struct MatchRequest {
    var need: Need
    var channel: String
    /// Agents who declined or let an offer lapse; never offered this conversation again.
    var declined: Set<String> = []
    /// The agent holding the conversation now, when it is being moved.
    var current: String?
    var previous: String?
    var preference = Preference()
    /// Seconds the conversation has waited, for holding out for the previous agent.
    var waited: Double = 0
}

/// The outcome of a match, with everything its explanation needs.
struct MatchResult {
    var chosen: Int?
    var rule: String?
    var why: [String] = []
    var summary = ""
    /// The previous agent the conversation holds out for (online but busy, within `prefer_for`).
    var holdingFor: String?
    var considered = 0
    var candidates: [String] = []
    var eligible: [String] = []
    var eligibleCount = 0
    var excluded: [Exclusion] = []
    var excludedCounts: [String: Int] = [:]
}

extension AgentBoard {
    /// Boards this small are explained in full: every agent is looked at and every exclusion is listed.
    static let fullScanLimit = 64

    /// Chooses the best eligible agent: the previous agent first (when preferred), then the least
    /// loaded relative to capacity, then the one idle longest, then by id.
    func match(_ request: MatchRequest) -> MatchResult {
        var result = MatchResult()
        guard let channel = channelId(request.channel) else {
            // Nobody has ever had capacity on this channel.
            result.considered = slots.count
            result.excludedCounts["no capacity for \(request.channel)"] = slots.count
            result.excluded = slots.indices.prefix(Decision.listLimit).map { exclusion($0, request) }.sorted { $0.agent < $1.agent }
            result.candidates = result.excluded.map(\.agent)
            return result
        }
        var best: Int?
        var runnerUp: Int?
        var listed: [Int] = []
        for index in candidateSource(request, channel: channel) {
            result.considered += 1
            if let category = exclusionCategory(index, request, channel: channel) {
                result.excludedCounts[category, default: 0] += 1
                if listed.count < Decision.listLimit { listed.append(index) }
                continue
            }
            result.eligibleCount += 1
            if result.eligible.count < Decision.listLimit { result.eligible.append(slots[index].agent.id) }
            if let current = best {
                if ranks(index, before: current, channel: channel) {
                    runnerUp = current
                    best = index
                } else if runnerUp.map({ ranks(index, before: $0, channel: channel) }) ?? true {
                    runnerUp = index
                }
            } else {
                best = index
            }
        }
        result.eligible.sort()
        result.excluded = listed.map { exclusion($0, request) }.sorted { $0.agent < $1.agent }
        if slots.count <= Self.fullScanLimit {
            result.candidates = slots.map(\.agent.id).sorted()
        } else {
            result.candidates = (result.eligible + result.excluded.map(\.agent)).sorted()
        }

        if request.preference.previousAgent, let previous = request.previous, let index = indexById[previous] {
            if exclusionCategory(index, request, channel: channel) == nil {
                best = index
                result.rule = "previous agent"
            } else if request.preference.holdSeconds > request.waited, isWorthHoldingFor(index, request, channel: channel) {
                result.holdingFor = previous
                return result
            }
        }
        guard let chosen = best else { return result }
        result.chosen = chosen
        if result.rule == nil {
            result.rule = rule(chosen, runnerUp: runnerUp, eligibleCount: result.eligibleCount, channel: channel)
        }
        explain(&result, chosen: chosen, request: request, channel: channel)
        return result
    }

    /// The smallest set that must contain every eligible agent: everybody on a small board, otherwise the
    /// agents with a free slot on the channel or the holders of a required skill, whichever is smaller.
    private func candidateSource(_ request: MatchRequest, channel: Int) -> [Int] {
        if slots.count <= Self.fullScanLimit { return Array(slots.indices) }
        if request.need.unheldSkill { return [] }
        var smallest = availableMembers(channel: channel)
        for needed in request.need.skills {
            let set = holders(skill: needed.skill, level: needed.level)
            if set.count < smallest.count { smallest = set }
        }
        return smallest
    }

    /// The first kind of reason the agent cannot take the conversation; nil when eligible.
    func exclusionCategory(_ index: Int, _ request: MatchRequest, channel: Int) -> String? {
        let slot = slots[index]
        if slot.agent.status != .online { return slot.agent.status.rawValue }
        if slot.agent.desk == nil { return "no desk" }
        if slot.capacity[channel] == 0 { return "no capacity for \(request.channel)" }
        if !slot.hasFreeSlot(channel: channel) { return "at capacity" }
        if request.need.unheldSkill || !request.need.skillsMet(slot) { return "skills" }
        if !request.need.authorityMet(slot) { return "authority" }
        if !request.declined.isEmpty, request.declined.contains(slot.agent.id) { return "declined" }
        if let current = request.current, current == slot.agent.id { return "current agent" }
        return nil
    }

    /// Online with a desk, qualified, not declined, and with slots on the channel that are all in use:
    /// worth holding a conversation for while `prefer_for` lasts.
    private func isWorthHoldingFor(_ index: Int, _ request: MatchRequest, channel: Int) -> Bool {
        let slot = slots[index]
        return slot.isReachable && slot.capacity[channel] > 0 && !slot.hasFreeSlot(channel: channel)
            && request.need.isQualified(slot) && !request.declined.contains(slot.agent.id)
            && request.current != slot.agent.id
    }

    /// Every reason, in words, for one excluded agent.
    func exclusion(_ index: Int, _ request: MatchRequest) -> Exclusion {
        var reasons = Eligibility.reasons(snapshot(index), requirements: request.need.requirements, channel: request.channel)
        let id = slots[index].agent.id
        if request.declined.contains(id) { reasons.insert("declined", at: 0) }
        if request.current == id { reasons.insert("holds it now", at: 0) }
        return Exclusion(agent: id, reasons: reasons)
    }

    /// Strict order among eligible agents: lower load ratio, then idle longer, then id.
    func ranks(_ a: Int, before b: Int, channel: Int) -> Bool {
        let ratioA = slots[a].loadRatio(channel: channel)
        let ratioB = slots[b].loadRatio(channel: channel)
        if ratioA != ratioB { return ratioA < ratioB }
        if slots[a].lastAssignedAt != slots[b].lastAssignedAt { return slots[a].lastAssignedAt < slots[b].lastAssignedAt }
        return slots[a].agent.id < slots[b].agent.id
    }

    private func rule(_ chosen: Int, runnerUp: Int?, eligibleCount: Int, channel: Int) -> String {
        guard eligibleCount > 1, let runnerUp else { return "only eligible" }
        if slots[chosen].loadRatio(channel: channel) != slots[runnerUp].loadRatio(channel: channel) {
            return "least loaded"
        }
        if slots[chosen].lastAssignedAt != slots[runnerUp].lastAssignedAt { return "idle longest" }
        return "first by id"
    }

    private func explain(_ result: inout MatchResult, chosen: Int, request: MatchRequest, channel: Int) {
        let slot = slots[chosen]
        let held = slot.load[channel]
        let slotsOnChannel = slot.capacity[channel]
        let eligible = result.eligibleCount
        let phrase: String
        switch result.rule {
        case "previous agent": phrase = "the customer's previous agent"
        case "only eligible": phrase = "the only eligible agent"
        case "least loaded": phrase = "the least loaded of \(eligible) eligible agents"
        case "idle longest": phrase = "the one idle longest among the least loaded of \(eligible) eligible agents"
        default: phrase = "first by id among \(eligible) equally loaded eligible agents"
        }
        let qualifications = Eligibility.qualifications(slot.agent, requirements: request.need.requirements)
        result.why = [phrase, "load \(held)/\(slotsOnChannel) on \(request.channel)"] + qualifications
        var sentence = "\(slot.agent.name) was chosen as \(phrase) (\(held) of \(slotsOnChannel) \(request.channel) slots in use)"
        if !qualifications.isEmpty { sentence += " and meets " + qualifications.joined(separator: ", ") }
        result.summary = sentence + "."
    }
}
