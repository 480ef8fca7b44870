import Foundation

/// One routing decision, stored so that it can be explained afterwards: the route and requirements,
/// the agents considered, why each excluded one was excluded, and which rule chose the agent.
public struct Decision: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// An agent was chosen and offered the conversation.
        case offered
        /// A route applied but nobody was eligible (or the previous agent is being held out for); it waits.
        case waiting
        /// No route applied; the conversation waits for a table that routes it.
        case noRoute = "no_route"
    }

    public var at: Date
    public var outcome: Outcome
    /// What prompted it, in words (`Trigger`): `new conversation`, `new message`, `declined by ana`, ...
    public var trigger: String
    public var route: String?
    public var facts: [String: Value]
    /// The requirements in force, after any relaxation.
    public var requirements: ResolvedRequirements?
    /// The relax steps that applied, e.g. `after 20s: billing 2`.
    public var relaxed: [String]
    public var priority: Int
    /// How many agents were looked at: every agent on a board of up to `AgentBoard.fullScanLimit`; on a
    /// larger one, the front of the ranked pool (the qualified agents with a free slot, best first) until
    /// the best two eligible were found. The others are counted in `excludedCounts`, not looked at.
    public var considered: Int
    /// The agents looked at, in id order (at most `Decision.listLimit`).
    public var candidates: [String]
    public var eligible: [String]
    /// Eligible agents among those looked at.
    public var eligibleCount: Int
    /// Excluded agents with every reason (at most `Decision.listLimit`; `excludedCounts` counts them all).
    public var excluded: [Exclusion]
    /// How many agents were excluded for each kind of reason: `offline`, `at capacity`, `skills`, ...
    public var excludedCounts: [String: Int]
    /// Agents who declined this conversation or let the offer time out; never offered it again.
    public var declined: [String]
    public var agent: String?
    /// The rule that chose the agent: `previous agent`, `only eligible`, `least loaded`, `idle longest`, `named`.
    public var rule: String?
    /// The agent it moved from, when it was escalated or transferred.
    public var movedFrom: String?
    /// The reasons, one per line: the rule, the load, each requirement met.
    public var why: [String]
    /// The same, as one sentence an agent reads in the handoff.
    public var summary: String
    public var waitedMs: Int

    /// How many agents a decision on a large board lists by name; on a small one (up to
    /// `AgentBoard.fullScanLimit` agents) every agent is listed.
    public static let listLimit = 5

    public init(
        at: Date, outcome: Outcome, trigger: Trigger, route: String? = nil, facts: [String: Value] = [:],
        requirements: ResolvedRequirements? = nil, relaxed: [String] = [], priority: Int = 0, considered: Int = 0,
        candidates: [String] = [], eligible: [String] = [], eligibleCount: Int = 0, excluded: [Exclusion] = [],
        excludedCounts: [String: Int] = [:], declined: [String] = [], agent: String? = nil, rule: String? = nil,
        movedFrom: String? = nil, why: [String] = [], summary: String = "", waitedMs: Int = 0
    ) {
        self.at = at
        self.outcome = outcome
        self.trigger = trigger.description
        self.route = route
        self.facts = facts
        self.requirements = requirements
        self.relaxed = relaxed
        self.priority = priority
        self.considered = considered
        self.candidates = candidates
        self.eligible = eligible
        self.eligibleCount = eligibleCount
        self.excluded = excluded
        self.excludedCounts = excludedCounts
        self.declined = declined
        self.agent = agent
        self.rule = rule
        self.movedFrom = movedFrom
        self.why = why
        self.summary = summary
        self.waitedMs = waitedMs
    }

    enum CodingKeys: String, CodingKey {
        case at, outcome, trigger, route, facts, requirements, relaxed, priority, considered, candidates, eligible
        case excluded, declined, agent, rule, why, summary
        case eligibleCount = "eligible_count"
        case excludedCounts = "excluded_counts"
        case movedFrom = "moved_from"
        case waitedMs = "waited_ms"
    }
}
