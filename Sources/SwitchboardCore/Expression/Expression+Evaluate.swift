import Foundation

extension Expression {
    /// Evaluates the expression against `scope`.
    ///
    /// Unknown names read as `null`; any comparison with a `null` side, or between mismatched
    /// types for `<`-style operators, is `false`. `and`, `or` and `not` treat anything other
    /// than `true` as false and always yield a ``Value/bool(_:)``.
    public func evaluate(in scope: some ExpressionScope) -> Value {
        root.evaluate(in: scope)
    }

    /// Whether the expression evaluates to exactly `.bool(true)`; the test for a `when:` condition.
    public func holds(in scope: some ExpressionScope) -> Bool {
        evaluate(in: scope) == .bool(true)
    }
}

extension ExpressionNode {
    func evaluate(in scope: some ExpressionScope) -> Value {
        switch self {
        case .constant(let value):
            return value
        case .name(let name):
            return scope.value(of: name)
        case .list(let elements):
            return .list(elements.map { $0.evaluate(in: scope) })
        case .negate(let operand):
            guard case .number(let number) = operand.evaluate(in: scope) else { return .null }
            return .number(-number)
        case .not(let operand):
            return .bool(!operand.holds(in: scope))
        case .and(let left, let right):
            return .bool(left.holds(in: scope) && right.holds(in: scope))
        case .or(let left, let right):
            return .bool(left.holds(in: scope) || right.holds(in: scope))
        case .compare(let left, let comparison, let right):
            return .bool(comparison.apply(left.evaluate(in: scope), right.evaluate(in: scope)))
        case .matches(let subject, let regex):
            guard case .string(let text) = subject.evaluate(in: scope) else { return .bool(false) }
            return .bool(regex.matches(text.utf8Prefix(scope.matchLimit)))
        }
    }

    private func holds(in scope: some ExpressionScope) -> Bool {
        evaluate(in: scope) == .bool(true)
    }
}

extension ComparisonOperator {
    /// The comparison's result; `false` whenever either side is `null`.
    func apply(_ left: Value, _ right: Value) -> Bool {
        if left.isNull || right.isNull { return false }
        switch self {
        case .equal: return left == right
        case .notEqual: return left != right
        case .less: return Self.order(left, right).map { $0 < 0 } ?? false
        case .lessOrEqual: return Self.order(left, right).map { $0 <= 0 } ?? false
        case .greater: return Self.order(left, right).map { $0 > 0 } ?? false
        case .greaterOrEqual: return Self.order(left, right).map { $0 >= 0 } ?? false
        case .in: return Self.contains(right, left) ?? false
        case .notIn: return Self.contains(right, left).map { !$0 } ?? false
        case .contains: return Self.contains(left, right) ?? false
        case .matches:
            // Never built: the parser turns `matches` into ``ExpressionNode/matches(_:_:)`` with a
            // pattern compiled from a constant, and refuses any other pattern.
            return false
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; `nil` for any other pairing.
    private static func order(_ left: Value, _ right: Value) -> Int? {
        switch (left, right) {
        case (.number(let a), .number(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        default:
            return nil
        }
    }

    /// Whether `container` (a list or string) contains `element`; `nil` when that question has
    /// no meaning (container not a list or string, or a non-string looked for in a string).
    private static func contains(_ container: Value, _ element: Value) -> Bool? {
        switch (container, element) {
        case (.list(let elements), _):
            return !element.isNull && elements.contains(element)
        case (.string(let text), .string(let part)):
            return part.isEmpty || text.contains(part)
        default:
            return nil
        }
    }
}
