/// The names an expression can read for one conversation: the message, the customer, the attributes and the facts.
public struct RoutingScope: ExpressionScope, Sendable {
    public var message: InboundMessage
    public var facts: [String: Value]
    /// Whether a fact may be named like an attribute or customer trait; when none is, reading
    /// `attributes.x` skips looking among the facts.
    public var factsShadowNames: Bool
    /// How many UTF-8 bytes of a string patterns read (``ExpressionScope/matchLimit``).
    public var matchLimit: Int
    /// The values of the names a routing table's conditions read, by slot, and the names themselves
    /// (a name whose slot holds another name, from another table, is looked up as usual).
    private(set) var slotted: [Value] = []
    private(set) var slottedNames: [ExpressionName] = []

    public init(
        message: InboundMessage, facts: [String: Value] = [:], factsShadowNames: Bool = true,
        matchLimit: Int = Expression.defaultMatchLimit
    ) {
        self.message = message
        self.facts = facts
        self.factsShadowNames = factsShadowNames
        self.matchLimit = matchLimit
    }

    public func value(of name: String) -> Value { value(of: ExpressionName(name)) }

    public func value(of name: ExpressionName) -> Value {
        if let slot = name.slot, slot < slotted.count, slottedNames[slot].raw == name.raw { return slotted[slot] }
        return lookUp(name)
    }

    /// Reads each name once, for conditions to read by slot; `names[i]` has slot `i`.
    mutating func fillSlots(_ names: [ExpressionName]) {
        slotted = names.map(lookUp)
        slottedNames = names
    }

    private func lookUp(_ name: ExpressionName) -> Value {
        switch name.kind {
        case .text: return .string(message.text)
        case .channel: return .string(message.channel)
        case .source: return .string(message.source)
        case .customerId: return message.customer.externalId.map(Value.string) ?? .null
        case .customerName: return message.customer.name.map(Value.string) ?? .null
        case .customerEmail: return message.customer.email.map(Value.string) ?? .null
        case .customerPhone: return message.customer.phone.map(Value.string) ?? .null
        case .attribute(let key), .customerTrait(let key):
            if factsShadowNames, let fact = facts[name.raw] { return fact }
            return message.attributes[key] ?? .null
        case .other:
            return facts[name.raw] ?? .null
        }
    }

    /// Names every expression may read without declaring them.
    public static let builtinNames: Set<String> = [
        "text", "channel", "source", "customer.id", "customer.name", "customer.email", "customer.phone",
    ]

    /// Whether `name` can be read: a built-in, a fact declared in `facts`, or an attribute or customer trait.
    public static func isKnown(_ name: String, facts: Set<String>) -> Bool {
        builtinNames.contains(name) || facts.contains(name) || name.hasPrefix("attributes.") || name.hasPrefix("customer.")
    }
}
