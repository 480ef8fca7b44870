/// A parsed `when:` condition or fact, e.g. `customer.tier == "gold" and amount > 100`.
///
/// Parse once with ``parse(_:)``, then evaluate per message: evaluation walks a prebuilt tree
/// and literal `matches` patterns are compiled at parse time.
public struct Expression: Sendable, CustomStringConvertible {
    /// How many UTF-8 bytes of a string `matches` and an extracting fact read unless configured
    /// otherwise: 64 KiB.
    public static let defaultMatchLimit = 65_536

    /// The source text exactly as given to ``parse(_:)``.
    public let source: String
    /// Every dotted name the expression reads, e.g. `["text", "customer.tier"]`, for validation.
    public let names: Set<String>
    let root: ExpressionNode

    /// Parses `source`, reporting the first problem with its 1-based line and column within `source`.
    public static func parse(_ source: String) throws(ExpressionError) -> Expression {
        var parser = try ExpressionParser(source)
        let root = try parser.parse()
        return Expression(source: source, names: parser.names, root: root)
    }

    init(source: String, names: Set<String>, root: ExpressionNode) {
        self.source = source
        self.names = names
        self.root = root
    }

    /// The source text.
    public var description: String { source }
}

extension Expression: Equatable, Hashable {
    /// Expressions are equal when their source text is equal.
    public static func == (lhs: Expression, rhs: Expression) -> Bool {
        lhs.source == rhs.source
    }

    /// Hashes the source text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
    }
}
