import SwitchboardCore

extension RoutingTableParser {
    /// One fact: `{extract: PATTERN, as: number|string}` or a list of `{when, value}` cases.
    func fact(_ entry: YAMLMapping.Entry, _ reader: YAMLReader) -> Fact? {
        let name = entry.key
        var valid = checkFactName(entry, reader)
        let rule: Fact.Rule?
        switch entry.value.node {
        case .mapping:
            rule = reader.within("fact \"\(name)\"") { extractRule(entry.value, reader) }
        case .sequence:
            rule = reader.within("fact \"\(name)\"") { casesRule(entry.value, of: name, reader) }
        default:
            reader.report(
                "fact \"\(name)\" must be {extract: PATTERN, as: number|string} or a list of "
                    + "{when: CONDITION, value: VALUE} cases, found \(entry.value.found)", at: entry.value)
            rule = nil
        }
        valid = valid && rule != nil
        guard valid, let rule else { return nil }
        return Fact(name: name, rule: rule)
    }

    /// A fact's name must be readable by expressions, unique, and not hide a built-in name.
    private func checkFactName(_ entry: YAMLMapping.Entry, _ reader: YAMLReader) -> Bool {
        let name = entry.key
        if !Self.isPlainName(name) {
            reader.report(
                "fact name \"\(name)\" must be a plain name: letters, digits and _, not starting with a digit, "
                    + "and not a keyword", at: entry.keyNode)
            return false
        }
        if RoutingScope.builtinNames.contains(name) {
            reader.report("fact name \"\(name)\" is a built-in name; choose another", at: entry.keyNode)
            return false
        }
        if let earlier = factsSoFar[name] {
            reader.report(
                "fact \"\(name)\" is already declared at \(earlier.described(from: reader.file))", at: entry.keyNode)
            return false
        }
        return true
    }

    /// Whether an expression reads `name` as one bare name: `amount`, not `my-fact`, `true` or `2x`.
    static func isPlainName(_ name: String) -> Bool {
        guard !name.contains("."), let parsed = try? Expression.parse(name) else { return false }
        return parsed.names == [name]
    }

    private func extractRule(_ node: YAMLNode, _ reader: YAMLReader) -> Fact.Rule? {
        guard let mapping = reader.mapping(node, "the fact", allowed: RoutingTableKeys.extractFact, naming: false),
            let patternNode = reader.required("extract", in: mapping, "the fact")
        else { return nil }
        var type: FactType? = .string
        if let typeNode = mapping["as"] {
            type = reader.choice(typeNode, "as", as: FactType.self)
        }
        guard let source = reader.string(patternNode, "extract") else { return nil }
        let pattern: FactPattern
        do {
            pattern = try FactPattern(source)
        } catch {
            reader.report("extract is not a valid regular expression: \(Self.explain(source))", at: patternNode)
            return nil
        }
        guard let type else { return nil }
        return .extract(pattern, as: type)
    }

    /// Why the pattern does not compile. Foundation's error carries no reason, so Swift's own regex
    /// parser, which reads the same syntax, is asked for one.
    private static func explain(_ source: String) -> String {
        do {
            _ = try Regex(source)
        } catch {
            return "\(error)"
        }
        return "the regular expression engine rejects it"
    }

    private func casesRule(_ node: YAMLNode, of fact: String, _ reader: YAMLReader) -> Fact.Rule? {
        guard let items = reader.list(node, "the fact") else { return nil }
        if items.isEmpty {
            reader.report("must list at least one {when, value} case", at: node)
            return nil
        }
        var cases: [FactCase] = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let factCase = factCase(item, number: index + 1, of: fact, reader) {
                cases.append(factCase)
            } else {
                valid = false
            }
        }
        return valid ? .cases(cases) : nil
    }

    private func factCase(_ node: YAMLNode, number: Int, of fact: String, _ reader: YAMLReader) -> FactCase? {
        let what = "case \(number)"
        guard let mapping = reader.mapping(node, what, allowed: RoutingTableKeys.factCase) else { return nil }
        let whenNode = reader.required("when", in: mapping, what)
        let valueNode = reader.required("value", in: mapping, what)
        let known = Set(factsSoFar.keys)
        let condition = whenNode.flatMap { node in
            reader.expression(
                node, "when", isKnown: { RoutingScope.isKnown($0, facts: known) }, hint: { factHint($0, in: fact) })
        }
        let value = valueNode.flatMap { scalarValue($0, reader) }
        guard let condition, let value else { return nil }
        return FactCase(when: condition, value: value)
    }

    /// Why a fact's condition cannot read `name`, and what was probably meant.
    private func factHint(_ name: String, in fact: String) -> String? {
        if name == fact {
            return "a fact cannot read its own value"
        }
        if allFacts.contains(name) {
            return "fact \"\(name)\" is declared later; a fact can read only the facts declared before it"
        }
        return Suggestion.didYouMean(name, among: RoutingScope.builtinNames.union(factsSoFar.keys))
    }

    /// A case's value: text, a number or true/false.
    private func scalarValue(_ node: YAMLNode, _ reader: YAMLReader) -> Value? {
        guard let scalar = node.scalar, !node.isNull else {
            reader.report("value must be text, a number or true/false, found \(node.found)", at: node)
            return nil
        }
        switch node.tagName {
        case .int, .float:
            if let number = node.node.float { return .number(number) }
        case .bool:
            if let flag = node.node.bool { return .bool(flag) }
        default:
            break
        }
        return .string(scalar.string)
    }
}
