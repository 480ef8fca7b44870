/// What an agent holds for one authority key: a limit (`refund_limit: 500`) or a permission (`approve_returns: true`).
public enum AuthorityGrant: Sendable, Hashable, Codable, CustomStringConvertible {
    case limit(Double)
    case permission(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .permission(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .limit(number)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an authority grant is a number (a limit) or true/false (a permission)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .limit(let value): try container.encode(value)
        case .permission(let flag): try container.encode(flag)
        }
    }

    /// The grant as a number when compared against a limit; a held permission counts as unlimited.
    public var numericValue: Double? {
        switch self {
        case .limit(let value): value
        case .permission(let flag): flag ? .infinity : nil
        }
    }

    /// Whether the grant holds at all: a positive limit or a true permission.
    public var isHeld: Bool {
        switch self {
        case .limit(let value): value > 0
        case .permission(let flag): flag
        }
    }

    public var description: String {
        switch self {
        case .limit(let value): Value.number(value).description
        case .permission(let flag): String(flag)
        }
    }
}
