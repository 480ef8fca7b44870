/// What a route requires of an agent, as written in the routing table.
public struct Requirements: Sendable, Hashable {
    /// Minimum proficiency per skill.
    public var skills: [String: Int]
    public var authority: [String: AuthorityRequirement]

    public init(skills: [String: Int] = [:], authority: [String: AuthorityRequirement] = [:]) {
        self.skills = skills
        self.authority = authority
    }

    /// The requirements with fact references replaced by the facts' values for one conversation.
    public func resolved(facts: [String: Value]) -> ResolvedRequirements {
        var resolvedAuthority: [String: ResolvedAuthority] = [:]
        for (key, requirement) in authority {
            switch requirement {
            case .permission:
                resolvedAuthority[key] = ResolvedAuthority(minimum: nil, fact: nil)
            case .atLeast(let number):
                resolvedAuthority[key] = ResolvedAuthority(minimum: number, fact: nil)
            case .fact(let name):
                if case .number(let number) = facts[name] ?? .null {
                    resolvedAuthority[key] = ResolvedAuthority(minimum: number, fact: name)
                } else {
                    // No value for the fact in this conversation: the agent must still hold the authority.
                    resolvedAuthority[key] = ResolvedAuthority(minimum: nil, fact: name)
                }
            }
        }
        return ResolvedRequirements(skills: skills, authority: resolvedAuthority)
    }
}

/// One authority requirement for one conversation: a minimum limit, or just that the agent holds it.
public struct ResolvedAuthority: Sendable, Hashable, Codable {
    /// The smallest acceptable limit; nil means the agent must hold the authority at all.
    public var minimum: Double?
    /// The fact the minimum came from, if any.
    public var fact: String?

    public init(minimum: Double?, fact: String?) {
        self.minimum = minimum
        self.fact = fact
    }
}

/// Requirements for one conversation, with every fact already substituted.
public struct ResolvedRequirements: Sendable, Hashable, Codable {
    public var skills: [String: Int]
    public var authority: [String: ResolvedAuthority]

    public init(skills: [String: Int] = [:], authority: [String: ResolvedAuthority] = [:]) {
        self.skills = skills
        self.authority = authority
    }
}
