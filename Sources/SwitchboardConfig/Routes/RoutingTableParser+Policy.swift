import SwitchboardCore

/// How a route's conversations wait, read from the route's own keys: the parts of a ``Route`` besides
/// its condition and requirements. Each key left out keeps the engine's default.
struct RoutePolicy {
    /// `priority`; 0 without boosts by default.
    var priority = RoutePriority()
    /// `relax`, in the order written (which is the order they apply); none by default.
    var relax: [RelaxStep] = []
    /// `prefer` and `prefer_for`; the previous agent first, without holding out for them, by default.
    var preference = Preference()
    /// `offer_timeout` in seconds; ``Route/defaultOfferTimeout`` by default.
    var offerTimeout = Route.defaultOfferTimeout
}

/// What `prefer:` accepts on a route.
enum PreferChoice: String, CaseIterable {
    /// The customer's previous agent comes first among the eligible agents (the default).
    case previousAgent = "previous_agent"
    /// No agent is preferred for having served the customer before.
    case none
}

extension RoutingTableParser {
    /// Reads `priority`, `prefer`, `prefer_for`, `offer_timeout` and `relax` of one route.
    /// - Parameter requiredSkills: the skills the route requires, which relax steps may lower; nil when
    ///   its `require` has problems, so that only the form of the steps is checked.
    /// - Returns: nil when any of them has a problem (recorded in `reader`).
    func policy(_ mapping: YAMLMapping, requiredSkills: [String: Int]?, _ reader: YAMLReader) -> RoutePolicy? {
        var policy = RoutePolicy()
        var valid = true
        if let node = mapping["priority"] {
            if let priority = priority(node, reader) { policy.priority = priority } else { valid = false }
        }
        let (preference, preferenceValid) = self.preference(mapping, reader)
        policy.preference = preference
        valid = valid && preferenceValid
        if let node = mapping["offer_timeout"] {
            if let seconds = reader.duration(node, "offer_timeout") {
                policy.offerTimeout = seconds
            } else {
                valid = false
            }
        }
        if let node = mapping["relax"] {
            let steps = relaxSteps(
                node, requiredSkills: requiredSkills, prefersPreviousAgent: policy.preference.previousAgent, reader)
            if let steps { policy.relax = steps } else { valid = false }
        }
        return valid ? policy : nil
    }

    /// `prefer: previous_agent|none` and `prefer_for: DURATION`, the time a conversation holds out for a
    /// previous agent who is online but busy. Holding out needs the previous agent to be preferred.
    /// - Returns: the preference as far as it could be read (relax steps are checked against it), and
    ///   whether it was read without problems.
    private func preference(_ mapping: YAMLMapping, _ reader: YAMLReader) -> (Preference, valid: Bool) {
        var preference = Preference()
        var valid = true
        var choice: PreferChoice? = .previousAgent
        if let node = mapping["prefer"] {
            choice = reader.choice(node, "prefer", as: PreferChoice.self)
            if let choice { preference.previousAgent = choice == .previousAgent }
            valid = choice != nil
        }
        if let entry = mapping.entries.first(where: { $0.key == "prefer_for" }) {
            if choice == PreferChoice.none {
                reader.report(
                    "prefer_for holds out for the previous agent, so it cannot go with prefer: none; remove one of them",
                    at: entry.keyNode)
                valid = false
            } else if let seconds = reader.duration(entry.value, "prefer_for", allowZero: true) {
                preference.holdSeconds = seconds
            } else {
                valid = false
            }
        }
        return (preference, valid)
    }
}
