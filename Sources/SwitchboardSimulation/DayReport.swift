/// A scenario's day under every policy, with Switchboard's goals checked against the others.
public struct DayReport: Sendable, Hashable, Codable {
    public var scenario: String
    public var seed: UInt64
    /// What the Switchboard policy routed with: a directory, `draft`, `published`.
    public var table: String
    public var agents: Int
    /// Conversations planned for the day (before follow-ups).
    public var planned: Int
    public var policies: [PolicyReport]
    public var goals: [Goal]

    public init(scenario: String, seed: UInt64, table: String, agents: Int, planned: Int, policies: [PolicyReport]) {
        self.scenario = scenario
        self.seed = seed
        self.table = table
        self.agents = agents
        self.planned = planned
        self.policies = policies
        goals = Self.goals(policies)
    }

    /// One of Switchboard's goals: its own target, and being better than every other policy.
    public struct Goal: Sendable, Hashable, Codable {
        public var name: String
        public var target: String
        public var value: Double
        public var met: Bool
        /// How far from the target when it is missed, in the goal's own unit.
        public var shortBy: Double?
        /// The best of the other policies, and whether Switchboard beats it.
        public var bestOther: Double?
        public var beatsOthers: Bool
    }

    public var allMet: Bool { goals.allSatisfy { $0.met && $0.beatsOthers } }

    static func goals(_ policies: [PolicyReport]) -> [Goal] {
        guard let ours = policies.first(where: { $0.policy == .switchboard }) else { return [] }
        let others = policies.filter { $0.policy != .switchboard }
        func goal(
            _ name: String, _ target: String, _ value: (PolicyReport) -> Double, limit: Double, lowerIsBetter: Bool
        ) -> Goal {
            let mine = value(ours)
            let met = lowerIsBetter ? mine <= limit : mine >= limit
            let otherValues = others.map(value)
            let best = lowerIsBetter ? otherValues.min() : otherValues.max()
            let beats = best.map { lowerIsBetter ? mine < $0 : mine > $0 } ?? true
            return Goal(
                name: name, target: target, value: mine, met: met, shortBy: met ? nil : abs(mine - limit), bestOther: best,
                beatsOthers: beats)
        }
        return [
            goal(
                "transfers of work within an online agent's authority", "0", { Double($0.transfersWithinAuthority) },
                limit: 0, lowerIsBetter: true),
            goal("p95 time to the resolving agent (s)", "≤ 20 s", \.timeToResolver.p95, limit: 20, lowerIsBetter: true),
            goal("first-contact resolution", "≥ 95 %", \.firstContactResolution, limit: 0.95, lowerIsBetter: false),
        ]
    }
}
