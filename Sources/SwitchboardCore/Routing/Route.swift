/// One entry of a routing table: when it applies and what it requires.
public struct Route: Sendable {
    public var name: String
    /// The condition; a route without one always applies.
    public var when: Expression?
    public var requirements: Requirements

    public init(name: String, when: Expression? = nil, requirements: Requirements = Requirements()) {
        self.name = name
        self.when = when
        self.requirements = requirements
    }
}
