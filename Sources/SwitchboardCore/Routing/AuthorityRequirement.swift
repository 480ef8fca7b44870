/// What a route demands of one authority key, as written in the table.
public enum AuthorityRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The agent's limit must be at least the named fact's value (`refund_limit: amount`).
    case fact(String)
    /// The agent's limit must be at least this number (`refund_limit: 100`).
    case atLeast(Double)
    /// The agent must hold the permission (`approve_returns: true`).
    case permission

    public var description: String {
        switch self {
        case .fact(let name): name
        case .atLeast(let number): Value.number(number).description
        case .permission: "true"
        }
    }
}
