import Foundation

/// Every agent with their live load, indexed for matching, so that a decision looks at the agents in
/// the smallest relevant set instead of scanning all of them:
/// - per skill and level, the agents at or above that level;
/// - per channel, the agents who could take one more conversation there now (online, with a desk,
///   a free slot on the channel and under their total).
struct AgentBoard: Sendable {
    private(set) var slots: [AgentSlot] = []
    private(set) var indexById: [String: Int] = [:]
    private var skillIds: [String: Int] = [:]
    /// `holders[skill][level - 1]`: the agents whose level in `skill` is at least `level`.
    private var holders: [[[Int]]] = []
    private var channelIds: [String: Int] = [:]
    /// `available[channel]`: agents who could take one more conversation on that channel now.
    private var available: [MemberSet] = []

    init(_ snapshots: [AgentSnapshot] = []) {
        for snapshot in snapshots { upsert(snapshot.agent, load: snapshot.load, lastAssignedAt: snapshot.lastAssignedAt) }
    }

    var count: Int { slots.count }

    func slot(_ id: String) -> AgentSlot? { indexById[id].map { slots[$0] } }

    /// The agent's definition, load and last assignment, as the API and explanations show them.
    func snapshot(_ index: Int) -> AgentSnapshot {
        let slot = slots[index]
        var load: [String: Int] = [:]
        for (channel, id) in channelIds where id < slot.load.count && slot.load[id] > 0 { load[channel] = slot.load[id] }
        return AgentSnapshot(
            agent: slot.agent, load: load,
            lastAssignedAt: slot.lastAssignedAt.isFinite ? Date(timeIntervalSince1970: slot.lastAssignedAt) : nil)
    }

    // MARK: interning

    /// The id of a skill, nil when no agent has ever held it.
    func skillId(_ name: String) -> Int? { skillIds[name] }

    func channelId(_ name: String) -> Int? { channelIds[name] }

    private mutating func internSkill(_ name: String) -> Int {
        if let id = skillIds[name] { return id }
        let id = holders.count
        skillIds[name] = id
        holders.append(Array(repeating: [], count: 5))
        return id
    }

    mutating func internChannel(_ name: String) -> Int {
        if let id = channelIds[name] { return id }
        let id = available.count
        channelIds[name] = id
        available.append(MemberSet())
        for index in slots.indices {
            slots[index].extend(toChannels: id + 1, capacity: slots[index].agent.capacity[name] ?? 0)
            refreshAvailability(index, channel: id)
        }
        return id
    }

    // MARK: changes

    /// Adds an agent or replaces their definition and presence, keeping their load.
    mutating func upsert(_ agent: Agent, load: [String: Int]? = nil, lastAssignedAt: Date? = nil) {
        for channel in agent.capacity.keys where channel != Agent.totalCapacityKey { _ = internChannel(channel) }
        for channel in (load ?? [:]).keys { _ = internChannel(channel) }
        var skills = agent.skills.filter { $0.value > 0 }.map { SkillLevel(skill: internSkill($0.key), level: min($0.value, 5)) }
        skills.sort { $0.skill < $1.skill }
        let index: Int
        if let existing = indexById[agent.id] {
            index = existing
            for old in slots[index].skills {
                for level in 0..<old.level { holders[old.skill][level].removeAll { $0 == index } }
            }
            slots[index].redefine(agent, skills: skills, channelNames: channelIds)
        } else {
            index = slots.count
            indexById[agent.id] = index
            slots.append(AgentSlot(agent: agent, skills: skills, channelNames: channelIds))
        }
        for held in skills {
            for level in 0..<held.level { holders[held.skill][level].append(index) }
        }
        if let load {
            for (channel, held) in load { slots[index].load[channelIds[channel]!] = held }
            slots[index].totalLoad = slots[index].load.reduce(0, +)
        }
        if let lastAssignedAt { slots[index].lastAssignedAt = lastAssignedAt.timeIntervalSince1970 }
        refreshAvailability(index)
    }

    mutating func setPresence(_ index: Int, _ status: Presence) {
        slots[index].agent.status = status
        refreshAvailability(index)
    }

    /// One more conversation held on `channel` (an offer holds capacity from the moment it is made).
    mutating func hold(_ index: Int, channel: Int, at now: Date) {
        slots[index].load[channel] += 1
        slots[index].totalLoad += 1
        slots[index].lastAssignedAt = now.timeIntervalSince1970
        refreshAvailability(index)
    }

    /// One conversation fewer held on `channel`.
    mutating func release(_ index: Int, channel: Int) {
        slots[index].load[channel] = max(0, slots[index].load[channel] - 1)
        slots[index].totalLoad = max(0, slots[index].totalLoad - 1)
        refreshAvailability(index)
    }

    private mutating func refreshAvailability(_ index: Int) {
        for channel in available.indices { refreshAvailability(index, channel: channel) }
    }

    private mutating func refreshAvailability(_ index: Int, channel: Int) {
        if slots[index].canTakeMore(channel: channel) {
            available[channel].insert(index)
        } else {
            available[channel].remove(index)
        }
    }

    // MARK: reading the indexes

    /// Agents who could take one more conversation on `channel` now.
    func availableMembers(channel: Int) -> [Int] { available[channel].members }

    /// Agents at or above `level` in `skill`.
    func holders(skill: Int, level: Int) -> [Int] { holders[skill][min(max(level, 1), 5) - 1] }
}

/// A skill held at a level, by interned skill id.
struct SkillLevel: Sendable, Hashable {
    var skill: Int
    var level: Int
}

/// One agent on the board: the definition, interned skills, and load per interned channel.
struct AgentSlot: Sendable {
    var agent: Agent
    /// Sorted by skill id.
    var skills: [SkillLevel]
    var capacity: [Int] = []
    var load: [Int] = []
    var totalLoad = 0
    /// Seconds since 1970 of the last offer made to them; -infinity when never.
    var lastAssignedAt = -Double.infinity

    init(agent: Agent, skills: [SkillLevel], channelNames: [String: Int]) {
        self.agent = agent
        self.skills = skills
        extend(toChannels: channelNames.count, capacity: 0)
        for (name, id) in channelNames { capacity[id] = agent.capacity[name] ?? 0 }
    }

    mutating func redefine(_ agent: Agent, skills: [SkillLevel], channelNames: [String: Int]) {
        self.agent = agent
        self.skills = skills
        for (name, id) in channelNames { capacity[id] = agent.capacity[name] ?? 0 }
    }

    mutating func extend(toChannels count: Int, capacity slots: Int) {
        while capacity.count < count {
            capacity.append(slots)
            load.append(0)
        }
    }

    var isReachable: Bool { agent.status == .online && agent.desk != nil }

    func hasFreeSlot(channel: Int) -> Bool {
        load[channel] < capacity[channel] && (agent.totalCapacity.map { totalLoad < $0 } ?? true)
    }

    func canTakeMore(channel: Int) -> Bool { isReachable && hasFreeSlot(channel: channel) }

    func level(_ skill: Int) -> Int {
        for held in skills where held.skill == skill { return held.level }
        return 0
    }

    /// Held load over capacity on the channel: the least loaded agent is offered first.
    func loadRatio(channel: Int) -> Double {
        Double(load[channel]) / Double(max(capacity[channel], 1))
    }
}

/// A set of agent indexes with O(1) insert, remove and membership, iterable as an array.
struct MemberSet: Sendable {
    private(set) var members: [Int] = []
    private var positions: [Int: Int] = [:]

    mutating func insert(_ index: Int) {
        guard positions[index] == nil else { return }
        positions[index] = members.count
        members.append(index)
    }

    mutating func remove(_ index: Int) {
        guard let position = positions.removeValue(forKey: index) else { return }
        let last = members.removeLast()
        if position < members.count {
            members[position] = last
            positions[last] = position
        }
    }
}
