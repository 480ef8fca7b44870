/// The keys a routing table accepts at each level, kept in one place: a new key (`relax`, `priority`,
/// `prefer`, …) is added here and then read where that level is parsed.
enum RoutingTableKeys {
    /// The top level of a file.
    static let table = ["facts", "routes"]
    /// A fact extracted from the customer's latest message: `{extract: PATTERN, as: number}`.
    static let extractFact = ["extract", "as"]
    /// One case of a fact given by conditions: `{when: CONDITION, value: VALUE}`.
    static let factCase = ["when", "value"]
    /// One route.
    static let route = ["name", "when", "require"]
    /// What a route requires of the agent.
    static let require = ["skills", "authority"]
}
