import Foundation

/// One routing decision, stored so that it can be explained afterwards.
public struct Decision: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// An agent was chosen and offered the conversation.
        case assigned
        /// A route applied but nobody was eligible; the conversation waits.
        case waiting
        /// No route applied; the conversation waits for a table that routes it.
        case noRoute = "no_route"
    }

    public var at: Date
    public var outcome: Outcome
    /// What prompted it: `new conversation`, `new message`, `agent available`.
    public var trigger: String
    public var route: String?
    public var facts: [String: Value]
    public var requirements: ResolvedRequirements?
    public var candidates: [String]
    public var eligible: [String]
    public var excluded: [Exclusion]
    public var agent: String?
    public var why: [String]
    public var waitedMs: Int

    public init(
        at: Date, outcome: Outcome, trigger: String, route: String?, facts: [String: Value],
        requirements: ResolvedRequirements?, candidates: [String] = [], eligible: [String] = [],
        excluded: [Exclusion] = [], agent: String? = nil, why: [String] = [], waitedMs: Int = 0
    ) {
        self.at = at
        self.outcome = outcome
        self.trigger = trigger
        self.route = route
        self.facts = facts
        self.requirements = requirements
        self.candidates = candidates
        self.eligible = eligible
        self.excluded = excluded
        self.agent = agent
        self.why = why
        self.waitedMs = waitedMs
    }

    enum CodingKeys: String, CodingKey {
        case at, outcome, trigger, route, facts, requirements, candidates, eligible, excluded, agent, why
        case waitedMs = "waited_ms"
    }
}
