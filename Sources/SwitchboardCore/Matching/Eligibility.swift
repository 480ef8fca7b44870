/// Why an agent can or cannot take a conversation: presence, capacity, skills and authority.
public enum Eligibility {
    /// Every reason the agent is not eligible; empty when eligible.
    public static func reasons(
        _ snapshot: AgentSnapshot, requirements: ResolvedRequirements, channel: String
    ) -> [Ineligibility] {
        let agent = snapshot.agent
        var reasons: [Ineligibility] = []
        if agent.status != .online { reasons.append(.presence(agent.status)) }
        if agent.desk == nil { reasons.append(.noDesk) }
        let slots = agent.capacity[channel] ?? 0
        let held = snapshot.load[channel] ?? 0
        if slots == 0 {
            reasons.append(.noCapacity(channel: channel))
        } else if held >= slots {
            reasons.append(.atCapacity(channel: channel, held: held, slots: slots))
        }
        if let total = agent.totalCapacity, snapshot.totalLoad >= total {
            reasons.append(.atTotalCapacity(held: snapshot.totalLoad, total: total))
        }
        reasons += unmet(
            agent, skills: requirements.skills.sorted { $0.key < $1.key },
            authority: requirements.authority.sorted { $0.key < $1.key })
        return reasons
    }

    /// The skill levels and authority the agent lacks, in the order given: `billing 2 < 3`, `refund_limit 50 < 300`.
    static func unmet(
        _ agent: Agent, skills: [(key: String, value: Int)], authority: [(key: String, value: ResolvedAuthority)]
    ) -> [Ineligibility] {
        var reasons: [Ineligibility] = []
        for (skill, needed) in skills {
            let level = agent.skills[skill] ?? 0
            if level < needed { reasons.append(.skill(skill, level: level, needed: needed)) }
        }
        for (key, needed) in authority {
            guard let grant = agent.authority[key], grant.isHeld else {
                reasons.append(.missingAuthority(key, minimum: needed.minimum))
                continue
            }
            if let minimum = needed.minimum, (grant.numericValue ?? 0) < minimum {
                reasons.append(.authorityBelow(key, grant: grant, minimum: minimum))
            }
        }
        return reasons
    }

    /// The positive side, for the explanation of a chosen agent: `billing 4 >= 3`, `refund_limit 500 >= 300 (amount)`.
    public static func qualifications(_ agent: Agent, requirements: ResolvedRequirements) -> [String] {
        var lines: [String] = []
        for (skill, needed) in requirements.skills.sorted(by: { $0.key < $1.key }) {
            lines.append("\(skill) \(agent.skills[skill] ?? 0) >= \(needed)")
        }
        for (key, needed) in requirements.authority.sorted(by: { $0.key < $1.key }) {
            let grant = agent.authority[key].map(\.description) ?? "none"
            let source = needed.fact.map { " (\($0))" } ?? ""
            if let minimum = needed.minimum {
                lines.append("\(key) \(grant) >= \(Value.number(minimum))\(source)")
            } else {
                lines.append("holds \(key)\(source)")
            }
        }
        return lines
    }
}
