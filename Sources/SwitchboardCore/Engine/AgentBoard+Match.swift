import Foundation

/// Requirements compiled against a board: skills and authority keys by interned id.
struct Need: Sendable {
    var requirements: ResolvedRequirements
    var skills: [SkillLevel]
    /// A required skill nobody on the board has ever held: nobody can be eligible.
    var unheldSkill: Bool
    var authority: [(id: Int?, minimum: Double?)]
    /// The requirements in name order, for explanations (only a few per decision are explained).
    var sortedSkills: [(key: String, value: Int)] {
        requirements.skills.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
    var sortedAuthority: [(key: String, value: ResolvedAuthority)] {
        requirements.authority.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    init(_ requirements: ResolvedRequirements, on board: AgentBoard) {
        self.requirements = requirements
        var skills: [SkillLevel] = []
        var unheld = false
        for (name, level) in requirements.skills where level > 0 {
            if let id = board.skillId(name) { skills.append(SkillLevel(skill: id, level: level)) } else { unheld = true }
        }
        self.skills = skills
        self.unheldSkill = unheld
        // A loop, not a closure: a closure would capture (copy) the whole board.
        var authority: [(id: Int?, minimum: Double?)] = []
        authority.reserveCapacity(requirements.authority.count)
        for (key, value) in requirements.authority { authority.append((id: board.authorityId(key), minimum: value.minimum)) }
        self.authority = authority
    }

    /// Whether the agent's skills and authority meet these requirements (presence and capacity aside).
    func isQualified(_ index: Int, on board: AgentBoard) -> Bool {
        !unheldSkill && skillsMet(index, on: board) && authorityMet(index, on: board)
    }

    func skillsMet(_ index: Int, on board: AgentBoard) -> Bool {
        for needed in skills where board.level(index, skill: needed.skill) < needed.level { return false }
        return true
    }

    func authorityMet(_ index: Int, on board: AgentBoard) -> Bool {
        for needed in authority {
            guard let id = needed.id, let limit = board.limit(index, authority: id) else { return false }
            if let minimum = needed.minimum, limit < minimum { return false }
        }
        return true
    }
}

/// The first kind of reason an agent was excluded, for counting exclusions cheaply.
enum ExclusionKind: Int, CaseIterable {
    case offline, away, noDesk, noCapacity, atCapacity, skills, authority, declined, current

    func label(channel: String) -> String {
        switch self {
        case .offline: "offline"
        case .away: "away"
        case .noDesk: "no desk"
        case .noCapacity: "no capacity for \(channel)"
        case .atCapacity: "at capacity"
        case .skills: "skills"
        case .authority: "authority"
        case .declined: "declined"
        case .current: "current agent"
        }
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
    /// The ranked pool of qualified agents with a free slot, from `AgentBoard.pool(for:channel:)`; nil on a
    /// small board, which is scanned in full.
    var pool: Int?
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
    /// On a large board: how many qualified agents had a free slot (the ranked pool the best came from).
    var pooled: Int?
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
        var counts = [Int](repeating: 0, count: ExclusionKind.allCases.count)
        if let id = request.pool {
            let pool = pools[id]
            // A large board: read the ranked pool from the front until the best two who pass the
            // remaining checks (authority, declines) are found. Everybody else is counted, not looked at.
            counts[ExclusionKind.skills.rawValue] = slots.count - entryMembers[pool.entry].count
            let unavailable = entryMembers[pool.entry].count - pool.count
            for index in pool.ranked() {
                result.considered += 1
                if let kind = exclusionKind(index, request, channel: channel) {
                    counts[kind.rawValue] += 1
                    if listed.count < Decision.listLimit { listed.append(index) }
                    continue
                }
                result.eligibleCount += 1
                result.eligible.append(self.slots[index].agent.id)
                if best == nil { best = index } else { runnerUp = index; break }
            }
            result.pooled = pool.count
            for kind in ExclusionKind.allCases where counts[kind.rawValue] > 0 {
                result.excludedCounts[kind.label(channel: request.channel)] = counts[kind.rawValue]
            }
            if unavailable > 0 { result.excludedCounts["not available"] = unavailable }
            return finish(&result, best: best, runnerUp: runnerUp, listed: listed, request: request, channel: channel)
        }
        // A small board, scanned in full, every agent explained; or a large one with a required skill
        // nobody holds, so nobody is looked at.
        let source = slots.count <= Self.fullScanLimit ? Array(slots.indices) : []
        if source.isEmpty { counts[ExclusionKind.skills.rawValue] = slots.count }
        for index in source {
            result.considered += 1
            if let kind = exclusionKind(index, request, channel: channel) {
                counts[kind.rawValue] += 1
                listed.append(index)
                continue
            }
            result.eligibleCount += 1
            result.eligible.append(slots[index].agent.id)
            if let current = best, !ranks(index, before: current, channel: channel) {
                if runnerUp.map({ ranks(index, before: $0, channel: channel) }) ?? true { runnerUp = index }
            } else {
                runnerUp = best
                best = index
            }
        }
        for kind in ExclusionKind.allCases where counts[kind.rawValue] > 0 {
            result.excludedCounts[kind.label(channel: request.channel)] = counts[kind.rawValue]
        }
        return finish(&result, best: best, runnerUp: runnerUp, listed: listed, request: request, channel: channel)
    }

    /// Lists, applies the previous-agent preference and explains.
    private func finish(
        _ result: inout MatchResult, best: Int?, runnerUp: Int?, listed: [Int], request: MatchRequest, channel: Int
    ) -> MatchResult {
        var best = best
        result.eligible.sort()
        result.excluded = listed.map { exclusion($0, request) }.sorted { $0.agent < $1.agent }
        if slots.count <= Self.fullScanLimit {
            result.candidates = slots.map(\.agent.id).sorted()
        } else {
            result.candidates = (result.eligible + result.excluded.map(\.agent)).sorted()
        }

        if request.preference.previousAgent, let previous = request.previous, let index = indexById[previous] {
            if exclusionKind(index, request, channel: channel) == nil {
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

    /// The first kind of reason the agent cannot take the conversation; nil when eligible.
    func exclusionKind(_ index: Int, _ request: MatchRequest, channel: Int) -> ExclusionKind? {
        if !isReachable(index) {
            switch slots[index].agent.status {
            case .online: return .noDesk
            case .away: return .away
            case .offline: return .offline
            }
        }
        if capacity(index, channel: channel) == 0 { return .noCapacity }
        if !hasFreeSlot(index, channel: channel) { return .atCapacity }
        if request.need.unheldSkill || !request.need.skillsMet(index, on: self) { return .skills }
        if !request.need.authorityMet(index, on: self) { return .authority }
        if !request.declined.isEmpty || request.current != nil {
            let id = slots[index].agent.id
            if request.declined.contains(id) { return .declined }
            if id == request.current { return .current }
        }
        return nil
    }

    /// Online with a desk, qualified, not declined, and with slots on the channel that are all in use:
    /// worth holding a conversation for while `prefer_for` lasts.
    func isWorthHoldingFor(_ index: Int, _ request: MatchRequest, channel: Int) -> Bool {
        let id = slots[index].agent.id
        return isReachable(index) && capacity(index, channel: channel) > 0 && !hasFreeSlot(index, channel: channel)
            && request.need.isQualified(index, on: self) && !request.declined.contains(id) && request.current != id
    }

    /// Strict order among eligible agents: lower load ratio, then idle longer, then id.
    func ranks(_ a: Int, before b: Int, channel: Int) -> Bool {
        let ratioA = loadRatio(a, channel: channel)
        let ratioB = loadRatio(b, channel: channel)
        if ratioA != ratioB { return ratioA < ratioB }
        if lastAssigned(a) != lastAssigned(b) { return lastAssigned(a) < lastAssigned(b) }
        return idOrder[a] < idOrder[b]
    }

    private func rule(_ chosen: Int, runnerUp: Int?, eligibleCount: Int, channel: Int) -> String {
        guard eligibleCount > 1, let runnerUp else { return "only eligible" }
        if loadRatio(chosen, channel: channel) != loadRatio(runnerUp, channel: channel) { return "least loaded" }
        if lastAssigned(chosen) != lastAssigned(runnerUp) { return "idle longest" }
        return "first by id"
    }

    private func explain(_ result: inout MatchResult, chosen: Int, request: MatchRequest, channel: Int) {
        let held = load(chosen, channel: channel)
        let slotsOnChannel = capacity(chosen, channel: channel)
        // On a large board only the best two were looked at: name the ranked pool they came from instead.
        let among = result.pooled.map { "\($0) agents with the skills and a free \(request.channel) slot" }
            ?? "\(result.eligibleCount) eligible agents"
        let phrase: String
        switch result.rule {
        case "previous agent": phrase = "the customer's previous agent"
        case "only eligible": phrase = "the only eligible agent"
        case "least loaded": phrase = "the least loaded of the \(among)"
        case "idle longest": phrase = "the one idle longest among the least loaded of the \(among)"
        default: phrase = "first by id among the equally loaded of the \(among)"
        }
        let qualifications = Eligibility.qualifications(slots[chosen].agent, requirements: request.need.requirements)
        result.why = [phrase, "load \(held)/\(slotsOnChannel) on \(request.channel)"] + qualifications
        var sentence = "\(slots[chosen].agent.name) was chosen as \(phrase) (\(held) of \(slotsOnChannel) \(request.channel) slots in use)"
        if !qualifications.isEmpty { sentence += " and meets " + qualifications.joined(separator: ", ") }
        result.summary = sentence + "."
    }
}
