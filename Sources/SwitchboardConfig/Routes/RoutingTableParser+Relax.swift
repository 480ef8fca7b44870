import SwitchboardCore

extension RoutingTableParser {
    /// What a relax step that names `authority` is told.
    static let authorityNeverRelaxes =
        "authority never relaxes; a route's authority requirements hold however long a conversation waits"

    /// Where the steps read so far have left a route: what the next step may still lower or drop.
    private struct RelaxProgress {
        /// Each required skill's level in force and the step that set it (nil: the route's own level; 0: dropped).
        /// Nil when the route's `require` has problems: steps are then checked for their form only.
        var skills: [String: (level: Int, step: Int?)]?
        /// The latest valid `after` so far, and its step.
        var after: (seconds: Double, step: Int)?
        /// Whether the previous agent is still preferred, and the step that stopped it (nil: the route's `prefer`).
        var prefersPreviousAgent: Bool
        var preferenceDroppedBy: Int?
    }

    /// `relax: [{after: 20s, skills: {billing: 2}}, {after: 60s, skills: {billing: none}}, {after: 90s, prefer: none}]`.
    ///
    /// Each step needs an `after` later than the step before it and must change something: lower or drop
    /// a skill the route requires (below its level so far), or stop preferring the previous agent.
    /// Authority never relaxes.
    func relaxSteps(
        _ node: YAMLNode, requiredSkills: [String: Int]?, prefersPreviousAgent: Bool, _ reader: YAMLReader
    ) -> [RelaxStep]? {
        guard let items = reader.list(node, "relax") else { return nil }
        var progress = RelaxProgress(
            skills: requiredSkills?.mapValues { (level: $0, step: nil) }, prefersPreviousAgent: prefersPreviousAgent)
        var steps: [RelaxStep] = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let step = relaxStep(item, number: index + 1, &progress, reader) {
                steps.append(step)
            } else {
                valid = false
            }
        }
        return valid ? steps : nil
    }

    private func relaxStep(_ node: YAMLNode, number: Int, _ progress: inout RelaxProgress, _ reader: YAMLReader)
        -> RelaxStep?
    {
        let what = "relax step \(number)"
        guard node.entries != nil else {
            let keys = YAMLReader.list(RoutingTableKeys.relaxStep, conjunction: "or")
            reader.report("\(what) must be a mapping with \(keys), found \(node.found)", at: node)
            return nil
        }
        let before = reader.problems.count
        let mapping = reader.within(what) {
            reader.mapping(
                node, what, allowed: RoutingTableKeys.relaxStep, naming: false,
                refused: ["authority": Self.authorityNeverRelaxes])
        }
        guard let mapping else { return nil }
        let afterNode = reader.required("after", in: mapping, what)
        var step = RelaxStep(after: 0)
        // A step with a problem leaves the progress as it was, so that later steps are judged only by valid ones.
        var next = progress
        reader.within(what) {
            if let afterNode, let after = relaxAfter(afterNode, number: number, &next, reader) { step.after = after }
            if let skillsNode = mapping["skills"], let entries = reader.dictionary(skillsNode, "skills") {
                for entry in entries {
                    if let level = relaxedLevel(entry, number: number, &next, reader) { step.skills[entry.key] = level }
                }
            }
            if let preferNode = mapping["prefer"] {
                step.dropsPreference = dropsPreference(preferNode, number: number, &next, reader)
            }
        }
        guard reader.problems.count == before else { return nil }
        guard !step.skills.isEmpty || step.dropsPreference else {
            reader.report("\(what) changes nothing; give skills to lower or drop, or prefer: none", at: node)
            return nil
        }
        progress = next
        return step
    }

    /// The step's `after`: more than 0 and later than the step before it.
    private func relaxAfter(_ node: YAMLNode, number: Int, _ progress: inout RelaxProgress, _ reader: YAMLReader)
        -> Double?
    {
        guard let after = reader.duration(node, "after") else { return nil }
        if let previous = progress.after, after <= previous.seconds {
            reader.report(
                "after must be later than step \(previous.step)'s after (\(DurationParser.describe(previous.seconds))), "
                    + "found \(node.found); list the steps in the order they apply", at: node)
            return nil
        }
        progress.after = (after, number)
        return after
    }

    /// A skill's level from this step on: `none` or 0 drops it, otherwise below its level so far.
    private func relaxedLevel(
        _ entry: YAMLMapping.Entry, number: Int, _ progress: inout RelaxProgress, _ reader: YAMLReader
    ) -> Int? {
        let skill = entry.key
        let node = entry.value
        var level: Int?
        if node.tagName == .int, let value = node.node.int, value >= 0 {
            level = value
        } else if node.tagName == .str, node.text == "none" {
            level = 0
        }
        guard let skills = progress.skills else {
            if let level, level <= 5 { return level }
            reader.report(
                "skill level for \(skill) must be none (or 0) to drop it, or 1 to 5, found \(node.found)", at: node)
            return nil
        }
        guard let current = skills[skill] else {
            var message = "skill \(skill) is not one the route requires, so it cannot relax"
            if let suggestion = Suggestion.didYouMean(skill, among: skills.keys) {
                message += "; \(suggestion)"
            } else {
                let required = skills.keys.sorted()
                message +=
                    required.isEmpty
                    ? " (the route requires no skills)" : " (the route requires \(YAMLReader.list(required)))"
            }
            reader.report(message, at: entry.keyNode)
            return nil
        }
        if current.level == 0, let step = current.step {
            reader.report("skill \(skill) is already dropped by relax step \(step)", at: entry.keyNode)
            return nil
        }
        guard let level, level < current.level else {
            let source =
                current.step.map { "relax step \($0) lowered it to \(current.level)" }
                ?? "the route requires \(current.level)"
            let lower = current.level > 1 ? ", or a level below \(current.level)" : ""
            reader.report(
                "skill level for \(skill) must be none (or 0) to drop it\(lower) (\(source)), found \(node.found)",
                at: node)
            return nil
        }
        progress.skills?[skill] = (level, number)
        return level
    }

    /// `prefer: none`, the only preference a step can set, and only while the previous agent is still preferred.
    private func dropsPreference(_ node: YAMLNode, number: Int, _ progress: inout RelaxProgress, _ reader: YAMLReader)
        -> Bool
    {
        guard node.tagName == .str, node.text == PreferChoice.none.rawValue else {
            reader.report(
                "prefer can only be none in a relax step (it stops preferring the previous agent), found \(node.found)",
                at: node)
            return false
        }
        guard progress.prefersPreviousAgent else {
            let by =
                progress.preferenceDroppedBy.map { "relax step \($0) already stopped it" }
                ?? "the route has prefer: none"
            reader.report("prefer: none changes nothing here; \(by)", at: node)
            return false
        }
        progress.prefersPreviousAgent = false
        progress.preferenceDroppedBy = number
        return true
    }
}
