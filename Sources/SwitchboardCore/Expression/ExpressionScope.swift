/// Supplies the values of the names an ``Expression`` reads.
public protocol ExpressionScope {
    /// The value of a full dotted name such as `text` or `customer.tier`;
    /// ``Value/null`` when the name is unknown.
    func value(of name: String) -> Value

    /// The value of a name sorted at parse time; by default the value of its full dotted name.
    func value(of name: ExpressionName) -> Value
}

extension ExpressionScope {
    public func value(of name: ExpressionName) -> Value { value(of: name.raw) }
}

/// A dictionary keyed by full dotted names is a scope; missing keys read as ``Value/null``.
extension Dictionary: ExpressionScope where Key == String, Value == SwitchboardCore.Value {
    /// The value stored under `name`, or ``Value/null``.
    public func value(of name: String) -> SwitchboardCore.Value {
        self[name] ?? .null
    }
}
