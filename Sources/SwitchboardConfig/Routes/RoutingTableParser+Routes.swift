import SwitchboardCore

extension RoutingTableParser {
    /// One route: a unique name, an optional condition, what it requires of the agent and how its
    /// conversations wait (``policy(_:requiredSkills:_:)``).
    func route(_ node: YAMLNode, number: Int, _ reader: YAMLReader) -> Route? {
        guard let entries = node.entries else {
            reader.report(
                "route \(number) must be a mapping with \(YAMLReader.list(RoutingTableKeys.route, conjunction: "or")), "
                    + "found \(node.found)", at: node)
            return nil
        }
        let nameNode = entries.first { $0.key.text == "name" }?.value
        var name: String?
        if let nameNode {
            name = reader.string(nameNode, "route \(number) name")
        } else {
            reader.report("route \(number) has no name", at: node)
        }
        let label = name.map { "route \"\($0)\"" } ?? "route \(number)"
        return reader.within(label) { () -> Route? in
            guard let mapping = reader.mapping(node, label, allowed: RoutingTableKeys.route, naming: false) else {
                return nil
            }
            var valid = name != nil
            if let name, let nameNode {
                if let earlier = routeNames[name] {
                    reader.report(
                        "another route is already named \"\(name)\" (\(earlier.described(from: reader.file)))",
                        at: nameNode)
                    valid = false
                } else {
                    routeNames[name] = Place(nameNode, in: reader)
                }
            }
            if let catchAll {
                reader.report(
                    "can never apply: \(catchAll.label) (\(catchAll.place.described(from: reader.file))) comes "
                        + "before it and has no when, so it takes every conversation", at: node)
                valid = false
            }
            var condition: Expression?
            if let whenNode = mapping["when"] {
                condition = self.condition(whenNode, "when", reader)
                valid = valid && condition != nil
            } else if catchAll == nil {
                catchAll = (label, Place(node, in: reader))
            }
            var requirements: Requirements? = Requirements()
            if let requireNode = mapping["require"] {
                requirements = self.requirements(requireNode, reader)
            }
            let policy = self.policy(mapping, requiredSkills: requirements?.skills, reader)
            guard valid, let name, let requirements, let policy else { return nil }
            return Route(
                name: name, when: condition, requirements: requirements, priority: policy.priority,
                relax: policy.relax, preference: policy.preference, offerTimeout: policy.offerTimeout)
        }
    }

    /// A condition of a route (its `when`, a priority boost's `when`): it may read the built-in names,
    /// customer traits, attributes and every fact of every file; a misspelt name gets a did-you-mean hint.
    func condition(_ node: YAMLNode, _ what: String, _ reader: YAMLReader) -> Expression? {
        reader.expression(
            node, what, isKnown: { RoutingScope.isKnown($0, facts: self.allFacts) },
            hint: { Suggestion.didYouMean($0, among: RoutingScope.builtinNames.union(self.allFacts)) })
    }

    /// `require: {skills: {billing: 3}, authority: {refund_limit: amount}}`.
    private func requirements(_ node: YAMLNode, _ reader: YAMLReader) -> Requirements? {
        guard let mapping = reader.mapping(node, "require", allowed: RoutingTableKeys.require) else { return nil }
        var valid = true
        var skills: [String: Int] = [:]
        if let skillsNode = mapping["skills"], let entries = reader.dictionary(skillsNode, "skills") {
            for entry in entries {
                if let level = reader.int(entry.value, "skill level for \(entry.key)", in: 1...5) {
                    skills[entry.key] = level
                } else {
                    valid = false
                }
            }
        } else if mapping["skills"] != nil {
            valid = false
        }
        var authority: [String: AuthorityRequirement] = [:]
        if let authorityNode = mapping["authority"], let entries = reader.dictionary(authorityNode, "authority") {
            for entry in entries {
                if let requirement = authorityRequirement(entry, reader) {
                    authority[entry.key] = requirement
                } else {
                    valid = false
                }
            }
        } else if mapping["authority"] != nil {
            valid = false
        }
        return valid ? Requirements(skills: skills, authority: authority) : nil
    }

    /// A fact's name (`amount`), a number (`100`) or `true`.
    private func authorityRequirement(_ entry: YAMLMapping.Entry, _ reader: YAMLReader) -> AuthorityRequirement? {
        let node = entry.value
        let expected = "must be a fact's name, a number or true"
        switch node.tagName {
        case .bool:
            if node.node.bool == true { return .permission }
            reader.report("authority \(entry.key) \(expected), found false (leave it out to require nothing)", at: node)
        case let tag where (tag == .int || tag == .float) && node.node.float?.isFinite == true:
            let number = node.node.float ?? 0
            if number >= 0 { return .atLeast(number) }
            reader.report("authority \(entry.key) must not be negative, found \(node.found)", at: node)
        case .str where node.scalar != nil:
            let name = node.text ?? ""
            if allFacts.contains(name) { return .fact(name) }
            var message = "authority \(entry.key) names \"\(name)\", which is not a declared fact"
            if let suggestion = Suggestion.didYouMean(name, among: allFacts) { message += "; \(suggestion)" }
            reader.report(message, at: node)
        default:
            reader.report("authority \(entry.key) \(expected), found \(node.found)", at: node)
        }
        return nil
    }
}
