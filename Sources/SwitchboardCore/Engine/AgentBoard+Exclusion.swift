extension AgentBoard {
    /// Every reason for one excluded agent, in words for the decision's explanation.
    func exclusion(_ index: Int, _ request: MatchRequest) -> Exclusion {
        Exclusion(agent: slots[index].agent.id, reasons: ineligibility(index, request).map(\.description))
    }

    /// Every reason one agent cannot take the request's conversation; empty when they can.
    func ineligibility(_ index: Int, _ request: MatchRequest) -> [Ineligibility] {
        let id = slots[index].agent.id
        var reasons: [Ineligibility] = []
        if request.current == id { reasons.append(.holdsIt) }
        if request.declined.contains(id) { reasons.append(.declined) }
        let status = slots[index].agent.status
        if status != .online { reasons.append(.presence(status)) }
        if slots[index].agent.desk == nil { reasons.append(.noDesk) }
        let channel = request.channel
        if let id = channelId(channel), capacity(index, channel: id) > 0 {
            let held = load(index, channel: id)
            let slots = capacity(index, channel: id)
            if held >= slots { reasons.append(.atCapacity(channel: channel, held: held, slots: slots)) }
        } else {
            reasons.append(.noCapacity(channel: channel))
        }
        if let total = slots[index].agent.totalCapacity, totalLoad(index) >= total {
            reasons.append(.atTotalCapacity(held: totalLoad(index), total: total))
        }
        if !request.need.requirements.skills.isEmpty || !request.need.requirements.authority.isEmpty {
            reasons += Eligibility.unmet(
                slots[index].agent, skills: request.need.sortedSkills, authority: request.need.sortedAuthority)
        }
        return reasons
    }
}
