/// Supplies the values of the names an ``Expression`` reads.
public protocol ExpressionScope {
    /// The value of a full dotted name such as `text` or `customer.tier`;
    /// ``Value/null`` when the name is unknown.
    func value(of name: String) -> Value

    /// The value of a name sorted at parse time; by default the value of its full dotted name.
    func value(of name: ExpressionName) -> Value

    /// How many UTF-8 bytes of a string, from its start, `matches` reads: a pattern's time on a
    /// customer's message is bounded by this, however long the message. By default
    /// ``Expression/defaultMatchLimit``.
    var matchLimit: Int { get }
}

extension ExpressionScope {
    public func value(of name: ExpressionName) -> Value { value(of: name.raw) }

    public var matchLimit: Int { Expression.defaultMatchLimit }
}

/// A dictionary keyed by full dotted names is a scope; missing keys read as ``Value/null``.
extension Dictionary: ExpressionScope where Key == String, Value == SwitchboardCore.Value {
    /// The value stored under `name`, or ``Value/null``.
    public func value(of name: String) -> SwitchboardCore.Value {
        self[name] ?? .null
    }
}
