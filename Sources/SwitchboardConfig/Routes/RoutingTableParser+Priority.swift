import SwitchboardCore

extension RoutingTableParser {
    /// The range of a priority's base and of each boost. Bounded so that no sum of them can overflow,
    /// and wide enough for any ordering of routes an admin needs.
    static let priorityRange = -1000...1000

    /// `priority: 2`, `{base: 1, when: CONDITION, add: 5}` or `{base: 1, raise: [{when: CONDITION, add: 5}, …]}`.
    func priority(_ node: YAMLNode, _ reader: YAMLReader) -> RoutePriority? {
        switch node.node {
        case .mapping:
            return priorityMapping(node, reader)
        case .scalar where node.tagName == .int:
            return reader.int(node, "priority", in: Self.priorityRange).map { RoutePriority(base: $0) }
        default:
            let keys = YAMLReader.list(RoutingTableKeys.priority, conjunction: "or")
            reader.report("priority must be a whole number or a mapping with \(keys), found \(node.found)", at: node)
            return nil
        }
    }

    /// The mapping form: a base, and either one `when`/`add` boost or a `raise` list of them.
    private func priorityMapping(_ node: YAMLNode, _ reader: YAMLReader) -> RoutePriority? {
        let before = reader.problems.count
        let mapping = reader.within("priority") {
            reader.mapping(node, "priority", allowed: RoutingTableKeys.priority, naming: false)
        }
        guard let mapping else { return nil }
        var priority = RoutePriority()
        if let baseNode = mapping["base"] {
            let base = reader.within("priority") { reader.int(baseNode, "base", in: Self.priorityRange) }
            priority.base = base ?? 0
        }
        let single = mapping["when"] != nil || mapping["add"] != nil
        if single, let boost = boost(mapping, "priority", reader) {
            priority.boosts.append(boost)
        }
        if let raise = mapping.entries.first(where: { $0.key == "raise" }) {
            if single {
                reader.within("priority") {
                    reader.report("raise cannot go with when and add; move them into the raise list", at: raise.keyNode)
                }
            } else if let items = reader.within("priority", { reader.list(raise.value, "raise") }) {
                for (index, item) in items.enumerated() {
                    if let boost = raisedBoost(item, number: index + 1, reader) { priority.boosts.append(boost) }
                }
            }
        }
        return reader.problems.count == before ? priority : nil
    }

    /// One item of `raise`: `{when: CONDITION, add: 5}`.
    private func raisedBoost(_ node: YAMLNode, number: Int, _ reader: YAMLReader) -> PriorityBoost? {
        let what = "priority raise \(number)"
        guard node.entries != nil else {
            let keys = YAMLReader.list(RoutingTableKeys.priorityBoost)
            reader.report("\(what) must be a mapping with \(keys), found \(node.found)", at: node)
            return nil
        }
        let mapping = reader.within(what) {
            reader.mapping(node, what, allowed: RoutingTableKeys.priorityBoost, naming: false)
        }
        return mapping.flatMap { boost($0, what, reader) }
    }

    /// The `when` and `add` of `mapping`, both required; `what` names where they are written.
    private func boost(_ mapping: YAMLMapping, _ what: String, _ reader: YAMLReader) -> PriorityBoost? {
        let whenNode = reader.required("when", in: mapping, what)
        let addNode = reader.required("add", in: mapping, what)
        return reader.within(what) { () -> PriorityBoost? in
            let when = whenNode.flatMap { self.condition($0, "when", reader) }
            let add = addNode.flatMap { reader.int($0, "add", in: Self.priorityRange) }
            guard let when, let add else { return nil }
            return PriorityBoost(when: when, add: add)
        }
    }
}
