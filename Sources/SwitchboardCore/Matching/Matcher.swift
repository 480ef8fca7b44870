import Foundation

/// Chooses one agent for a conversation, and says why, from a snapshot of all agents.
///
/// Eligible means online, with a desk, under capacity on the conversation's channel, at or above
/// every skill level, and meeting every authority requirement. Among the eligible the customer's
/// previous agent comes first, then the least loaded (held / capacity on that channel), then the
/// one idle longest.
public struct Matcher: Sendable {
    public init() {}

    /// The outcome of matching one conversation.
    public struct Outcome: Sendable, Hashable {
        public var chosen: AgentSnapshot?
        /// Human-readable reasons the chosen agent won; empty when nobody was chosen.
        public var why: [String]
        /// Every agent considered, in id order.
        public var candidates: [String]
        public var eligible: [String]
        public var excluded: [Exclusion]
    }

    public func match(
        agents: [AgentSnapshot], requirements: ResolvedRequirements, channel: String,
        previousAgentId: String? = nil, declined: Set<String> = []
    ) -> Outcome {
        var eligible: [AgentSnapshot] = []
        var excluded: [Exclusion] = []
        let ordered = agents.sorted { $0.agent.id < $1.agent.id }
        for snapshot in ordered {
            var reasons = Eligibility.reasons(snapshot, requirements: requirements, channel: channel)
            if declined.contains(snapshot.agent.id) { reasons.insert("declined", at: 0) }
            if reasons.isEmpty {
                eligible.append(snapshot)
            } else {
                excluded.append(Exclusion(agent: snapshot.agent.id, reasons: reasons))
            }
        }
        let candidates = ordered.map(\.agent.id)
        let eligibleIds = eligible.map(\.agent.id)
        guard let best = eligible.min(by: { rank($0, $1, channel: channel, previous: previousAgentId) }) else {
            return Outcome(chosen: nil, why: [], candidates: candidates, eligible: [], excluded: excluded)
        }
        var why: [String] = []
        if best.agent.id == previousAgentId {
            why.append("previous agent for this customer")
        } else if eligible.count == 1 {
            why.append("the only eligible agent")
        } else {
            why.append("least loaded of \(eligible.count) eligible")
        }
        why.append("load \(best.load[channel] ?? 0)/\(best.agent.capacity[channel] ?? 0) on \(channel)")
        why.append(contentsOf: Eligibility.qualifications(best.agent, requirements: requirements))
        return Outcome(chosen: best, why: why, candidates: candidates, eligible: eligibleIds, excluded: excluded)
    }

    /// Strict ordering: previous agent, then lower load ratio, then longer idle, then id.
    private func rank(_ a: AgentSnapshot, _ b: AgentSnapshot, channel: String, previous: String?) -> Bool {
        if let previous, (a.agent.id == previous) != (b.agent.id == previous) {
            return a.agent.id == previous
        }
        let ratioA = Double(a.load[channel] ?? 0) / Double(max(a.agent.capacity[channel] ?? 1, 1))
        let ratioB = Double(b.load[channel] ?? 0) / Double(max(b.agent.capacity[channel] ?? 1, 1))
        if ratioA != ratioB { return ratioA < ratioB }
        let idleA = a.lastAssignedAt ?? .distantPast
        let idleB = b.lastAssignedAt ?? .distantPast
        if idleA != idleB { return idleA < idleB }
        return a.agent.id < b.agent.id
    }
}
