import DequeModule
import Foundation
import SwitchboardCore

/// The usual policies: a queue in arrival order, and a rule for which agent with room gets the next
/// conversation. None of them looks at authority; round robin does not look at skills either. An agent who
/// cannot resolve what they got sends it back to the queue, to go to someone they have not tried.
struct BaselinePolicy: DayPolicy {
    enum Rule {
        case roundRobin, skillsOnly, longestIdle
    }

    private struct Waiting {
        var channel: Int
        /// The agents with the skills the table's route asks for (every agent for round robin).
        var candidates: [Int]
        /// The same, by agent number.
        var qualifies: [Bool]
        /// Agents who had it and passed it on.
        var tried: Set<Int> = []
    }

    private let rule: Rule
    private let table: RoutingTable
    private let agentCount: Int
    /// Channels by number, and per agent: slots per channel (0 for none), the cap over all, the load.
    private var channels: [String: Int] = [:]
    private var slots: [[Int]]
    private let totals: [Int]
    private var load: [[Int]]
    private var held: [Int]
    private let skills: [[String: Int]]
    private var online: [Bool]
    private var lastAssigned: [Double]
    private var conversations: [Int: Waiting] = [:]
    private var queue: Deque<Int> = []
    private var cursor = 0
    /// The agents with each set of skill levels, worked out once per set.
    private var qualified: [[String: Int]: (list: [Int], mask: [Bool])] = [:]

    init(rule: Rule, table: RoutingTable, agents: [Agent]) {
        self.rule = rule
        self.table = table
        agentCount = agents.count
        var channels: [String: Int] = [:]
        for agent in agents {
            for channel in agent.capacity.keys.sorted() where channel != Agent.totalCapacityKey && channels[channel] == nil {
                channels[channel] = channels.count
            }
        }
        self.channels = channels
        slots = agents.map { agent in
            var row = Array(repeating: 0, count: channels.count)
            for (channel, index) in channels { row[index] = agent.capacity[channel] ?? 0 }
            return row
        }
        totals = agents.map { $0.totalCapacity ?? .max }
        load = Array(repeating: Array(repeating: 0, count: channels.count), count: agents.count)
        held = Array(repeating: 0, count: agents.count)
        skills = agents.map(\.skills)
        online = Array(repeating: false, count: agents.count)
        lastAssigned = Array(repeating: -.infinity, count: agents.count)
    }

    mutating func arrive(_ conversation: Int, message: InboundMessage, previousAgent: Int?, followUp: Bool, now: Date)
        -> [Handover]
    {
        let needed = rule == .roundRobin ? [:] : (table.match(message)?.requirements.skills ?? [:])
        let (list, mask) = candidates(needed)
        conversations[conversation] = Waiting(channel: channel(message.channel), candidates: list, qualifies: mask)
        if let agent = choose(for: conversation) { return [give(conversation, to: agent, now: now)] }
        queue.append(conversation)
        return []
    }

    mutating func finish(_ conversation: Int, agent: Int, now: Date) -> [Handover] {
        if let channel = conversations[conversation]?.channel { release(agent, channel: channel) }
        conversations[conversation] = nil
        return fill(agent, now: now)
    }

    mutating func transfer(_ conversation: Int, from agent: Int, needs: Requirements, now: Date) -> [Handover]? {
        guard var waiting = conversations[conversation] else { return [] }
        release(agent, channel: waiting.channel)
        waiting.tried.insert(agent)
        // Once every agent has had it, the round starts again.
        if waiting.tried.count >= waiting.candidates.count { waiting.tried = [] }
        conversations[conversation] = waiting
        var result: [Handover] = []
        if let next = choose(for: conversation) {
            result.append(give(conversation, to: next, now: now))
        } else {
            queue.prepend(conversation)
        }
        return result + fill(agent, now: now)
    }

    mutating func presence(_ agent: Int, _ status: Presence, now: Date) -> [Handover] {
        online[agent] = status == .online
        return online[agent] ? fill(agent, now: now) : []
    }

    var nextTimer: Date? { nil }

    mutating func tick(now: Date) -> [Handover] { [] }

    // MARK: choosing

    private mutating func channel(_ name: String) -> Int {
        if let index = channels[name] { return index }
        // A channel nobody takes: a number with no slots anywhere.
        let index = channels.count
        channels[name] = index
        for agent in 0..<agentCount {
            slots[agent].append(0)
            load[agent].append(0)
        }
        return index
    }

    private mutating func candidates(_ needed: [String: Int]) -> (list: [Int], mask: [Bool]) {
        if let known = qualified[needed] { return known }
        let mask = (0..<agentCount).map { agent in needed.allSatisfy { skills[agent][$0.key, default: 0] >= $0.value } }
        let found = (mask.indices.filter { mask[$0] }, mask)
        qualified[needed] = found
        return found
    }

    private func hasRoom(_ agent: Int, channel: Int) -> Bool {
        online[agent] && load[agent][channel] < slots[agent][channel] && held[agent] < totals[agent]
    }

    private func hasAnyRoom(_ agent: Int) -> Bool {
        online[agent] && held[agent] < totals[agent] && slots[agent].indices.contains { load[agent][$0] < slots[agent][$0] }
    }

    private mutating func choose(for conversation: Int) -> Int? {
        guard let waiting = conversations[conversation], !waiting.candidates.isEmpty else { return nil }
        let channel = waiting.channel
        func free(_ agent: Int) -> Bool { hasRoom(agent, channel: channel) && !waiting.tried.contains(agent) }
        switch rule {
        case .roundRobin:
            for step in 0..<agentCount {
                let agent = (cursor + step) % agentCount
                if free(agent) {
                    cursor = agent + 1
                    return agent
                }
            }
            return nil
        case .skillsOnly:
            var best: (agent: Int, room: Int)?
            for agent in waiting.candidates where free(agent) {
                let room = slots[agent][channel] - load[agent][channel]
                if best == nil || room > best!.room { best = (agent, room) }
            }
            return best?.agent
        case .longestIdle:
            var best: Int?
            for agent in waiting.candidates where free(agent) {
                if best == nil || lastAssigned[agent] < lastAssigned[best!] { best = agent }
            }
            return best
        }
    }

    private mutating func give(_ conversation: Int, to agent: Int, now: Date) -> Handover {
        load[agent][conversations[conversation]!.channel] += 1
        held[agent] += 1
        lastAssigned[agent] = now.timeIntervalSince1970
        return Handover(conversation: conversation, agent: agent)
    }

    private mutating func release(_ agent: Int, channel: Int) {
        if load[agent][channel] > 0 {
            load[agent][channel] -= 1
            held[agent] -= 1
        }
    }

    /// Gives the agent the first conversations in the queue they can take, while they have room.
    private mutating func fill(_ agent: Int, now: Date) -> [Handover] {
        var result: [Handover] = []
        var index = queue.startIndex
        while index < queue.endIndex, hasAnyRoom(agent) {
            let conversation = queue[index]
            if let waiting = conversations[conversation], hasRoom(agent, channel: waiting.channel),
                waiting.qualifies[agent], !waiting.tried.contains(agent)
            {
                queue.remove(at: index)
                result.append(give(conversation, to: agent, now: now))
            } else {
                index += 1
            }
        }
        return result
    }
}
