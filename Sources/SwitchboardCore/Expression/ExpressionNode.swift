/// The parsed, ready-to-evaluate tree of an ``Expression``.
indirect enum ExpressionNode: Sendable {
    /// A literal, or a list of literals folded at parse time.
    case constant(Value)
    /// A dotted name read from the scope.
    case name(ExpressionName)
    /// A list with at least one non-constant element.
    case list([ExpressionNode])
    /// Unary minus; non-numbers negate to `null`.
    case negate(ExpressionNode)
    case not(ExpressionNode)
    case and(ExpressionNode, ExpressionNode)
    case or(ExpressionNode, ExpressionNode)
    case compare(ExpressionNode, ComparisonOperator, ExpressionNode)
    /// `matches` with a literal pattern, compiled when parsed (a pattern must be a constant: one
    /// read from the message would let a customer choose a pattern that never ends).
    case matches(ExpressionNode, CompiledRegex)
}

/// The binary comparisons, all non-associative and false when either side is `null`.
enum ComparisonOperator: String, Sendable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in` = "in"
    case notIn = "not in"
    case contains = "contains"
    case matches = "matches"
}
