/// One entry of a routing table: when it applies, what it requires, and how its conversations wait.
public struct Route: Sendable {
    public var name: String
    /// The condition; a route without one always applies.
    public var when: Expression?
    public var requirements: Requirements
    /// How urgent its conversations are; waiting conversations are offered highest priority first.
    public var priority: RoutePriority
    /// Steps that lower skill requirements or drop the preference as a conversation waits. Never authority.
    public var relax: [RelaxStep]
    /// Whether the customer's previous agent comes first, and how long to hold out for them.
    public var preference: Preference
    /// Seconds an agent has to accept an offer; no answer by then counts as a decline.
    public var offerTimeout: Double

    public static let defaultOfferTimeout = 30.0

    public init(
        name: String, when: Expression? = nil, requirements: Requirements = Requirements(),
        priority: RoutePriority = RoutePriority(), relax: [RelaxStep] = [], preference: Preference = Preference(),
        offerTimeout: Double = Route.defaultOfferTimeout
    ) {
        self.name = name
        self.when = when
        self.requirements = requirements
        self.priority = priority
        self.relax = relax.sorted { $0.after < $1.after }
        self.preference = preference
        self.offerTimeout = offerTimeout
    }

    /// The requirements and preference in force after waiting `waited` seconds, with the steps applied.
    public func relaxed(_ base: ResolvedRequirements, waited: Double) -> (ResolvedRequirements, Preference, [RelaxStep]) {
        var requirements = base
        var preference = self.preference
        var applied: [RelaxStep] = []
        for step in relax where step.after <= waited {
            applied.append(step)
            for (skill, level) in step.skills {
                if level <= 0 {
                    requirements.skills[skill] = nil
                } else if let current = requirements.skills[skill], level < current {
                    requirements.skills[skill] = level
                }
            }
            if step.dropsPreference { preference = Preference(previousAgent: false, holdSeconds: 0) }
        }
        return (requirements, preference, applied)
    }

    /// When the next relax step after `waited` seconds takes effect, in seconds of waiting; nil when none is left.
    public func nextRelaxation(after waited: Double) -> Double? {
        relax.first { $0.after > waited }?.after
    }

    /// The skills left once every step has applied: an agent below these can never take the route.
    public var mostRelaxedSkills: [String: Int] {
        relaxed(requirements.resolved(facts: [:]), waited: .infinity).0.skills
    }
}

/// `priority: 3` or `priority: {base: 1, when: 'customer.tier == "gold"', add: 5}`.
public struct RoutePriority: Sendable {
    public var base: Int
    public var boosts: [PriorityBoost]

    public init(base: Int = 0, boosts: [PriorityBoost] = []) {
        self.base = base
        self.boosts = boosts
    }

    /// The priority for one conversation: the base plus every boost whose condition holds.
    public func value(in scope: RoutingScope) -> Int {
        boosts.reduce(base) { total, boost in boost.when.holds(in: scope) ? total + boost.add : total }
    }
}

/// Raises a route's priority when a condition holds.
public struct PriorityBoost: Sendable {
    public var when: Expression
    public var add: Int

    public init(when: Expression, add: Int) {
        self.when = when
        self.add = add
    }
}

/// `{after: 20s, skills: {billing: 2}}`, `{after: 90s, prefer: none}`: from `after` seconds of waiting on,
/// the listed skills need only the given level (0 drops the skill), and `prefer: none` drops the preference.
public struct RelaxStep: Sendable, Hashable {
    public var after: Double
    public var skills: [String: Int]
    public var dropsPreference: Bool

    public init(after: Double, skills: [String: Int] = [:], dropsPreference: Bool = false) {
        self.after = after
        self.skills = skills
        self.dropsPreference = dropsPreference
    }

    /// `after 20s: billing 2`, for explanations.
    public var description: String {
        var parts = skills.sorted { $0.key < $1.key }.map { $0.value <= 0 ? "\($0.key) dropped" : "\($0.key) \($0.value)" }
        if dropsPreference { parts.append("no preference") }
        return "after \(Value.number(after))s: " + parts.joined(separator: ", ")
    }
}

/// Whether the customer's previous agent is preferred, and for how long a conversation holds out for
/// them while they are online but busy. A previous agent who is away or offline is never waited for.
public struct Preference: Sendable, Hashable {
    public var previousAgent: Bool
    public var holdSeconds: Double

    public init(previousAgent: Bool = true, holdSeconds: Double = 0) {
        self.previousAgent = previousAgent
        self.holdSeconds = holdSeconds
    }
}
