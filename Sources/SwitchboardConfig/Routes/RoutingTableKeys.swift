/// The keys a routing table accepts at each level, kept in one place: a new key is added here and then
/// read where that level is parsed.
enum RoutingTableKeys {
    /// The top level of a file.
    static let table = ["facts", "routes"]
    /// A fact extracted from the customer's latest message: `{extract: PATTERN, as: number}`.
    static let extractFact = ["extract", "as"]
    /// One case of a fact given by conditions: `{when: CONDITION, value: VALUE}`.
    static let factCase = ["when", "value"]
    /// One route.
    static let route = ["name", "when", "require", "priority", "prefer", "prefer_for", "offer_timeout", "relax"]
    /// What a route requires of the agent.
    static let require = ["skills", "authority"]
    /// A route's priority written as a mapping: `{base: 1, when: CONDITION, add: 5}` or
    /// `{base: 1, raise: [{when: CONDITION, add: 5}, …]}`.
    static let priority = ["base", "when", "add", "raise"]
    /// One boost of a priority's `raise` list: `{when: CONDITION, add: 5}`.
    static let priorityBoost = ["when", "add"]
    /// One step of a route's `relax` list: `{after: 20s, skills: {billing: 2}}`, `{after: 90s, prefer: none}`.
    static let relaxStep = ["after", "skills", "prefer"]
}
