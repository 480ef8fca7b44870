extension Expression {
    /// The same expression with every name listed in `slots` given its slot (see ``ExpressionName/slot``).
    func assigningSlots(_ slots: [String: Int]) -> Expression {
        Expression(source: source, names: names, root: root.assigningSlots(slots))
    }
}

extension ExpressionNode {
    func assigningSlots(_ slots: [String: Int]) -> ExpressionNode {
        switch self {
        case .constant:
            return self
        case .name(var name):
            name.slot = slots[name.raw]
            return .name(name)
        case .list(let elements):
            return .list(elements.map { $0.assigningSlots(slots) })
        case .negate(let operand):
            return .negate(operand.assigningSlots(slots))
        case .not(let operand):
            return .not(operand.assigningSlots(slots))
        case .and(let left, let right):
            return .and(left.assigningSlots(slots), right.assigningSlots(slots))
        case .or(let left, let right):
            return .or(left.assigningSlots(slots), right.assigningSlots(slots))
        case .compare(let left, let comparison, let right):
            return .compare(left.assigningSlots(slots), comparison, right.assigningSlots(slots))
        case .matches(let subject, let regex):
            return .matches(subject.assigningSlots(slots), regex)
        }
    }
}
