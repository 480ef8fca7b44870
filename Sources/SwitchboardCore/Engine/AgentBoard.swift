import Foundation

/// Every agent with their live load, indexed for matching, so that a decision on a large board looks
/// at a few agents instead of scanning all of them:
/// - per skill and level, the agents at or above that level;
/// - per required set of skills, the agents holding all of them, and per channel a `RankedPool` of
///   those with a free slot there, best first.
///
/// What a match reads for every candidate (presence, load, capacity, skill levels, authority limits)
/// is kept in flat arrays indexed by agent, so checking a candidate copies and retains nothing.
struct AgentBoard: Sendable {
    /// Definitions, for explanations and snapshots; not read on the hot path.
    private(set) var slots: [AgentSlot] = []
    private(set) var indexById: [String: Int] = [:]

    private var skillIds: [String: Int] = [:]
    /// `holders[skill][level - 1]`: the agents whose level in `skill` is at least `level`.
    private var holders: [[[Int]]] = []
    /// `levels[agent * skillStride + skill]`: the agent's level in the skill, 0 when not held.
    private var levels: [UInt8] = []
    private var skillStride = 16

    private var authorityIds: [String: Int] = [:]
    /// `limits[key][agent]`: the agent's limit; +infinity for a held permission, nil when not held.
    private var limits: [[Double?]] = []

    private var channelIds: [String: Int] = [:]
    /// `capacity[channel][agent]` and `load[channel][agent]`.
    private var capacity: [[Int]] = []
    private var load: [[Int]] = []
    private var totalCapacity: [Int] = []
    private var totalLoad: [Int] = []
    private var reachable: [Bool] = []
    /// Seconds since 1970 of the last offer made to each agent; -infinity when never.
    private var lastAssigned: [Double] = []
    /// Requirements seen so far (their skills), each with the agents holding every skill at its level.
    /// Routes and relax steps repeat the same few. Cleared, with the pools, whenever a definition changes.
    private var entries: [[SkillLevel]: Int] = [:]
    private(set) var entryMembers: [[Int]] = []
    /// Per requirement and channel, its qualified agents with a free slot, in rank order.
    private(set) var pools: [RankedPool] = []
    private var poolIds: [RankedPool.Key: Int] = [:]
    /// Per agent, the pools they qualify for (whether or not they have a free slot now).
    private var poolsOf: [[Int]] = []

    /// `idOrder[agent]`: the agent's position in id order, the last tie-breaker, compared as a number.
    private(set) var idOrder: [Int] = []

    init(_ snapshots: [AgentSnapshot] = []) {
        for snapshot in snapshots {
            upsert(snapshot.agent, load: snapshot.load, lastAssignedAt: snapshot.lastAssignedAt, ordering: false)
        }
        reorderIds()
    }

    private mutating func reorderIds() {
        idOrder = Array(repeating: 0, count: slots.count)
        for (position, index) in slots.indices.sorted(by: { slots[$0].agent.id < slots[$1].agent.id }).enumerated() {
            idOrder[index] = position
        }
    }

    func slot(_ id: String) -> AgentSlot? { indexById[id].map { slots[$0] } }

    /// The agent's definition, load and last assignment, as the API and explanations show them.
    func snapshot(_ index: Int) -> AgentSnapshot {
        var held: [String: Int] = [:]
        for (channel, id) in channelIds where load[id][index] > 0 { held[channel] = load[id][index] }
        return AgentSnapshot(
            agent: slots[index].agent, load: held,
            lastAssignedAt: lastAssigned[index].isFinite ? Date(timeIntervalSince1970: lastAssigned[index]) : nil)
    }

    // MARK: reading one agent

    func isReachable(_ index: Int) -> Bool { reachable[index] }
    func load(_ index: Int, channel: Int) -> Int { load[channel][index] }
    func capacity(_ index: Int, channel: Int) -> Int { capacity[channel][index] }
    func totalLoad(_ index: Int) -> Int { totalLoad[index] }
    func lastAssigned(_ index: Int) -> Double { lastAssigned[index] }

    func hasFreeSlot(_ index: Int, channel: Int) -> Bool {
        load[channel][index] < capacity[channel][index] && totalLoad[index] < totalCapacity[index]
    }

    func canTakeMore(_ index: Int, channel: Int) -> Bool { reachable[index] && hasFreeSlot(index, channel: channel) }

    /// Held load over capacity on the channel: the least loaded agent is offered first.
    func loadRatio(_ index: Int, channel: Int) -> Double {
        Double(load[channel][index]) / Double(max(capacity[channel][index], 1))
    }

    func level(_ index: Int, skill: Int) -> Int { Int(levels[index * skillStride + skill]) }

    /// The agent's limit for an interned authority key; nil when they do not hold it.
    func limit(_ index: Int, authority key: Int) -> Double? { limits[key][index] }

    // MARK: interning

    /// The id of a skill, nil when no agent has ever held it.
    func skillId(_ name: String) -> Int? { skillIds[name] }

    func authorityId(_ name: String) -> Int? { authorityIds[name] }

    func channelId(_ name: String) -> Int? { channelIds[name] }

    var channels: [String: Int] { channelIds }

    private mutating func internSkill(_ name: String) -> Int {
        if let id = skillIds[name] { return id }
        let id = holders.count
        skillIds[name] = id
        holders.append(Array(repeating: [], count: 5))
        if id >= skillStride {
            let wider = skillStride * 2
            var widened = [UInt8](repeating: 0, count: slots.count * wider)
            for agent in slots.indices {
                for skill in 0..<skillStride { widened[agent * wider + skill] = levels[agent * skillStride + skill] }
            }
            levels = widened
            skillStride = wider
        }
        return id
    }

    private mutating func internAuthority(_ name: String) -> Int {
        if let id = authorityIds[name] { return id }
        authorityIds[name] = limits.count
        limits.append(Array(repeating: nil, count: slots.count))
        return limits.count - 1
    }

    mutating func internChannel(_ name: String) -> Int {
        if let id = channelIds[name] { return id }
        let id = capacity.count
        channelIds[name] = id
        capacity.append(slots.map { $0.agent.capacity[name] ?? 0 })
        load.append(Array(repeating: 0, count: slots.count))
        return id
    }

    /// The ranked pool for a requirement on a channel, made on first use; nil on a small board (scanned
    /// in full), for a channel nobody has capacity on, or when a required skill is held by nobody.
    mutating func pool(for need: Need, channel name: String) -> Int? {
        guard slots.count > Self.fullScanLimit, !need.unheldSkill, let channel = channelId(name) else { return nil }
        let skills = need.skills.sorted { $0.skill < $1.skill }
        let entry: Int
        if let known = entries[skills] {
            entry = known
        } else {
            if entries.count >= 4_096 { clearPools() }
            entry = entryMembers.count
            entries[skills] = entry
            if let first = skills.first {
                var smallest = holders(skill: first.skill, level: first.level)
                for needed in skills.dropFirst() {
                    let set = holders(skill: needed.skill, level: needed.level)
                    if set.count < smallest.count { smallest = set }
                }
                entryMembers.append(smallest.filter { need.skillsMet($0, on: self) }.sorted())
            } else {
                entryMembers.append(Array(slots.indices))
            }
        }
        let key = RankedPool.Key(entry: entry, channel: channel)
        if let id = poolIds[key] { return id }
        let id = pools.count
        var pool = RankedPool(entry: entry, channel: channel)
        for agent in entryMembers[entry] {
            poolsOf[agent].append(id)
            if canTakeMore(agent, channel: channel) { pool.insert(place(agent), ratio: loadRatio(agent, channel: channel)) }
        }
        pools.append(pool)
        poolIds[key] = id
        return id
    }

    private func place(_ index: Int) -> RankedPool.Place {
        RankedPool.Place(last: lastAssigned[index], order: idOrder[index], agent: index)
    }

    /// Takes the agent out of the pools where they have a free slot, before their rank or presence changes.
    private mutating func unplace(_ index: Int) {
        let place = place(index)
        for id in poolsOf[index] where canTakeMore(index, channel: pools[id].channel) {
            let ratio = loadRatio(index, channel: pools[id].channel)
            pools[id].remove(place, ratio: ratio)
        }
    }

    /// Puts the agent back where they have a free slot, after the change.
    private mutating func replace(_ index: Int) {
        let place = place(index)
        for id in poolsOf[index] where canTakeMore(index, channel: pools[id].channel) {
            let ratio = loadRatio(index, channel: pools[id].channel)
            pools[id].insert(place, ratio: ratio)
        }
    }

    private mutating func clearPools() {
        if entries.isEmpty {
            while poolsOf.count < slots.count { poolsOf.append([]) }
            return
        }
        entries.removeAll()
        entryMembers.removeAll()
        pools.removeAll()
        poolIds.removeAll()
        poolsOf = Array(repeating: [], count: slots.count)
    }

    // MARK: changes

    /// Adds an agent or replaces their definition and presence, keeping their load.
    mutating func upsert(
        _ agent: Agent, load held: [String: Int]? = nil, lastAssignedAt: Date? = nil, ordering: Bool = true
    ) {
        defer { clearPools() }
        for channel in agent.capacity.keys where channel != Agent.totalCapacityKey { _ = internChannel(channel) }
        for channel in (held ?? [:]).keys { _ = internChannel(channel) }
        var skills = agent.skills.filter { $0.value > 0 }.map { SkillLevel(skill: internSkill($0.key), level: min($0.value, 5)) }
        skills.sort { $0.skill < $1.skill }
        for key in agent.authority.keys { _ = internAuthority(key) }
        let index: Int
        if let existing = indexById[agent.id] {
            index = existing
            for old in slots[index].skills {
                for level in 0..<old.level { holders[old.skill][level].removeAll { $0 == index } }
                levels[index * skillStride + old.skill] = 0
            }
            slots[index] = AgentSlot(agent: agent, skills: skills)
        } else {
            index = slots.count
            indexById[agent.id] = index
            slots.append(AgentSlot(agent: agent, skills: skills))
            levels += [UInt8](repeating: 0, count: skillStride)
            for key in limits.indices { limits[key].append(nil) }
            for channel in capacity.indices {
                capacity[channel].append(0)
                load[channel].append(0)
            }
            totalLoad.append(0)
            totalCapacity.append(.max)
            reachable.append(false)
            lastAssigned.append(-.infinity)
            if ordering { reorderIds() }
        }
        for held in skills {
            levels[index * skillStride + held.skill] = UInt8(held.level)
            for level in 0..<held.level { holders[held.skill][level].append(index) }
        }
        for (key, id) in authorityIds {
            limits[id][index] = agent.authority[key].flatMap { $0.isHeld ? $0.numericValue : nil }
        }
        for (name, channel) in channelIds { capacity[channel][index] = agent.capacity[name] ?? 0 }
        totalCapacity[index] = agent.totalCapacity ?? .max
        reachable[index] = agent.status == .online && agent.desk != nil
        if let held {
            for (channel, count) in held { load[channelIds[channel]!][index] = count }
            totalLoad[index] = load.reduce(0) { $0 + $1[index] }
        }
        if let lastAssignedAt { lastAssigned[index] = lastAssignedAt.timeIntervalSince1970 }
    }

    /// Adds an agent or replaces everything the board knows of them with `snapshot`: definition, presence,
    /// load on every channel (none where the snapshot has none) and last assignment.
    mutating func replace(_ snapshot: AgentSnapshot) {
        var held = snapshot.load
        for name in channelIds.keys where held[name] == nil { held[name] = 0 }
        upsert(snapshot.agent, load: held)
        lastAssigned[indexById[snapshot.agent.id]!] = snapshot.lastAssignedAt?.timeIntervalSince1970 ?? -.infinity
    }

    mutating func setPresence(_ index: Int, _ status: Presence) {
        unplace(index)
        defer { replace(index) }
        slots[index].agent.status = status
        reachable[index] = status == .online && slots[index].agent.desk != nil
    }

    /// One more conversation held on `channel` (an offer holds capacity from the moment it is made).
    mutating func hold(_ index: Int, channel: Int, at now: Date) {
        unplace(index)
        defer { replace(index) }
        load[channel][index] += 1
        totalLoad[index] += 1
        lastAssigned[index] = now.timeIntervalSince1970
    }

    /// One conversation fewer held on `channel`.
    mutating func release(_ index: Int, channel: Int) {
        unplace(index)
        defer { replace(index) }
        load[channel][index] = max(0, load[channel][index] - 1)
        totalLoad[index] = max(0, totalLoad[index] - 1)
    }

    // MARK: reading the indexes

    /// Agents at or above `level` in `skill`.
    func holders(skill: Int, level: Int) -> [Int] { holders[skill][min(max(level, 1), 5) - 1] }
}

