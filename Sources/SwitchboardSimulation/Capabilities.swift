import SwitchboardCore

/// What each agent of the roster can resolve, per intent, computed once for every policy's run: whether
/// they have the skill levels and permissions, how far their limit goes, and how far above the levels they are.
struct Capabilities: Sendable {
    /// [intent][agent]: the largest amount the agent can resolve (infinity when no limit applies), or nil when
    /// they lack a skill level or permission.
    private let limits: [[Double?]]
    /// [intent][agent]: skill levels above those needed (the smallest over the intent's skills).
    private let excess: [[Int]]

    init(intents: [Intent], agents: [Agent]) {
        var limits: [[Double?]] = []
        var excess: [[Int]] = []
        for intent in intents {
            limits.append(agents.map { Self.limit(of: $0, for: intent) })
            excess.append(
                agents.map { agent in
                    intent.skills.map { agent.skills[$0.key, default: 0] - $0.value }.min() ?? 0
                })
        }
        self.limits = limits
        self.excess = excess
    }

    private static func limit(of agent: Agent, for intent: Intent) -> Double? {
        for (skill, level) in intent.skills where agent.skills[skill, default: 0] < level { return nil }
        var limit = Double.infinity
        for (key, need) in intent.authority {
            guard let grant = agent.authority[key], grant.isHeld else { return nil }
            if need == .amount { limit = min(limit, grant.numericValue ?? 0) }
        }
        return limit
    }

    func canResolve(_ agent: Int, intent: Int, amount: Double?) -> Bool {
        guard let limit = limits[intent][agent] else { return false }
        return limit >= (amount ?? 0)
    }

    /// Whether anyone among `agents` (all when nil) can resolve it.
    func anyone(intent: Int, amount: Double?, among agents: [Bool]? = nil) -> Bool {
        limits[intent].indices.contains { agent in
            (agents?[agent] ?? true) && canResolve(agent, intent: intent, amount: amount)
        }
    }

    /// The handling time's factor for the agent's skill: 10 % less per level above the need, at most 40 %.
    func speed(_ agent: Int, intent: Int) -> Double {
        max(0.6, 1 - 0.1 * Double(max(0, excess[intent][agent])))
    }

    /// What resolving it needs, as a transfer asks for it.
    static func needs(_ intent: Intent, amount: Double?) -> Requirements {
        var authority: [String: AuthorityRequirement] = [:]
        for (key, need) in intent.authority {
            authority[key] = need == .amount ? amount.map(AuthorityRequirement.atLeast) ?? .permission : .permission
        }
        return Requirements(skills: intent.skills, authority: authority)
    }
}
