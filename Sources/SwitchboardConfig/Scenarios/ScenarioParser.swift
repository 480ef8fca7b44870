import SwitchboardCore
import SwitchboardSimulation

/// Walks a scenario file, recording problems at the values they concern.
struct ScenarioParser {
    let reader: YAMLReader

    func scenario(_ root: YAMLNode?) -> Scenario? {
        guard let root else { return nil }
        guard let top = reader.mapping(root, "the scenario", allowed: ScenarioLoader.topKeys, naming: false) else {
            return nil
        }
        let name = top["name"].flatMap { reader.string($0, "name") } ?? "scenario"
        var seed: UInt64 = 1
        if let node = top["seed"], let value = reader.int(node, "seed", in: 0...Int.max) { seed = UInt64(value) }
        var (opens, closes) = (8 * 3600.0, 20 * 3600.0)
        if let node = top["day"], let day = reader.mapping(node, "day", allowed: ["opens", "closes"]) {
            if let value = day["opens"].flatMap({ time($0, "day opens") }) { opens = value }
            if let value = day["closes"].flatMap({ time($0, "day closes") }) { closes = value }
            if closes <= opens { reader.report("day closes at or before it opens", at: node) }
        }
        let arrivals = reader.required("arrivals", in: top, "the scenario").flatMap { self.arrivals($0) }
        let intentList = reader.required("intents", in: top, "the scenario").flatMap { reader.list($0, "intents") } ?? []
        let intents = reader.within("intents") { intentList.enumerated().compactMap { intent($1, number: $0 + 1) } }
        if intentList.isEmpty, top["intents"] != nil { reader.report("intents must name at least one intent", at: top.node) }
        let groupList = reader.required("agents", in: top, "the scenario").flatMap { reader.list($0, "agents") } ?? []
        let groups = groupList.enumerated().compactMap { group($1, number: $0 + 1) }
        var seen: [String: Int] = [:]
        for (group, node) in zip(groups, groupList) {
            if let line = seen[group.name] {
                reader.report("agent group \"\(group.name)\": the name is already used at line \(line)", at: node)
            }
            seen[group.name] = seen[group.name] ?? node.line
        }
        guard let arrivals else { return nil }
        return Scenario(
            name: name, seed: seed, opens: opens, closes: closes, agents: groups, arrivals: arrivals, intents: intents)
    }

    // MARK: arrivals

    private func arrivals(_ node: YAMLNode) -> Arrivals? {
        let keys = ["conversations", "curve", "channels", "tiers", "angry", "returning", "patience"]
        guard let mapping = reader.mapping(node, "arrivals", allowed: keys) else { return nil }
        return reader.within("arrivals") { () -> Arrivals? in
            guard let count = reader.required("conversations", in: mapping, "arrivals").flatMap({
                reader.int($0, "conversations", in: 1...10_000_000)
            })
            else { return nil }
            var curve: [Arrivals.CurvePoint] = []
            if let list = mapping["curve"].flatMap({ reader.list($0, "curve") }) {
                for item in list {
                    guard let point = reader.mapping(item, "a curve point", allowed: ["at", "weight"]),
                        let at = reader.required("at", in: point, "a curve point").flatMap({ time($0, "at") }),
                        let weight = reader.required("weight", in: point, "a curve point").flatMap({
                            share($0, "weight", atMost: nil)
                        })
                    else { continue }
                    if let last = curve.last, at <= last.at {
                        reader.report("curve points must be in order of time, but this one is not after the one before", at: item)
                    }
                    curve.append(Arrivals.CurvePoint(at: at, weight: weight))
                }
            }
            let channels = mapping["channels"].flatMap { shares($0, "channels") } ?? ["chat": 1]
            if mapping["channels"] != nil, channels.isEmpty, let node = mapping["channels"] {
                reader.report("channels must name at least one channel", at: node)
            }
            var patience: [String: Double] = [:]
            if let node = mapping["patience"], let entries = reader.dictionary(node, "patience") {
                for entry in entries {
                    if let seconds = reader.duration(entry.value, "patience for \(entry.key)") { patience[entry.key] = seconds }
                }
            }
            return Arrivals(
                conversations: count, curve: curve, channels: channels,
                tiers: mapping["tiers"].flatMap { shares($0, "tiers") } ?? [:],
                angry: mapping["angry"].flatMap { share($0, "angry", atMost: 1) } ?? 0,
                returning: mapping["returning"].flatMap { share($0, "returning", atMost: 1) } ?? 0, patience: patience)
        }
    }

    // MARK: intents

    private func intent(_ node: YAMLNode, number: Int) -> Intent? {
        let keys = ["name", "share", "text", "amount", "skills", "authority", "handle", "triage", "promises", "promise_after"]
        guard let mapping = reader.mapping(node, "intent \(number)", allowed: keys) else { return nil }
        let name = reader.required("name", in: mapping, "intent \(number)").flatMap { reader.string($0, "name") }
        return reader.within(name.map { "intent \"\($0)\"" } ?? "intent \(number)") { () -> Intent? in
            let before = reader.problems.count
            let share = reader.required("share", in: mapping, "the intent").flatMap { self.share($0, "share", atMost: nil) }
            let text = reader.required("text", in: mapping, "the intent").flatMap { reader.string($0, "text") }
            var amount: ClosedRange<Double>?
            if let node = mapping["amount"], let range = reader.mapping(node, "amount", allowed: ["min", "max"]) {
                let low = reader.required("min", in: range, "amount").flatMap { reader.double($0, "amount min") }
                let high = reader.required("max", in: range, "amount").flatMap { reader.double($0, "amount max") }
                if let low, let high {
                    if low > 0, high >= low { amount = low...high } else {
                        reader.report("amount must have 0 < min <= max, found min \(low) and max \(high)", at: node)
                    }
                }
            }
            let skills = mapping["skills"].map { levels($0) } ?? [:]
            var authority: [String: Intent.AuthorityNeed] = [:]
            if let node = mapping["authority"], let entries = reader.dictionary(node, "authority") {
                for entry in entries {
                    if entry.value.text == "amount", entry.value.scalar != nil {
                        authority[entry.key] = .amount
                    } else if reader.bool(entry.value, "authority \(entry.key) (amount or true)") == true {
                        authority[entry.key] = .permission
                    }
                }
                if authority.values.contains(.amount), amount == nil {
                    reader.report("authority compares a limit with the amount, but the intent has no amount", at: node)
                }
            }
            var handle: [String: Double] = [:]
            if let node = reader.required("handle", in: mapping, "the intent"), let entries = reader.dictionary(node, "handle") {
                for entry in entries {
                    if let seconds = reader.duration(entry.value, "handle for \(entry.key)") { handle[entry.key] = seconds }
                }
                if entries.isEmpty { reader.report("handle must give a time for at least one channel", at: node) }
            }
            let triage = mapping["triage"].flatMap { reader.duration($0, "triage") } ?? 60
            let promises = mapping["promises"].flatMap { self.share($0, "promises", atMost: 1) } ?? 0
            let promiseAfter = mapping["promise_after"].flatMap { reader.duration($0, "promise_after") } ?? 7200
            guard reader.problems.count == before, let name, let share, let text else { return nil }
            return Intent(
                name: name, share: share, text: text, amount: amount, skills: skills, authority: authority,
                handle: handle, triage: triage, promises: promises, promiseAfter: promiseAfter)
        }
    }

    // MARK: agents

    private func group(_ node: YAMLNode, number: Int) -> AgentGroup? {
        let keys = ["group", "count", "skills", "authority", "capacity", "shift"]
        guard let mapping = reader.mapping(node, "agent group \(number)", allowed: keys) else { return nil }
        let name = reader.required("group", in: mapping, "agent group \(number)").flatMap { reader.string($0, "group") }
        return reader.within(name.map { "agent group \"\($0)\"" } ?? "agent group \(number)") { () -> AgentGroup? in
            let before = reader.problems.count
            if let name, name.contains(where: { $0.isWhitespace || $0 == "/" }), let node = mapping["group"] {
                reader.report("the name must not contain spaces or /", at: node)
            }
            let count = reader.required("count", in: mapping, "the group").flatMap { reader.int($0, "count", in: 1...100_000) }
            let skills = mapping["skills"].map { levels($0) } ?? [:]
            var authority: [String: AuthorityGrant] = [:]
            if let node = mapping["authority"], let entries = reader.dictionary(node, "authority") {
                for entry in entries {
                    if entry.value.text == "true" || entry.value.text == "false" {
                        if let flag = reader.bool(entry.value, "authority \(entry.key)") { authority[entry.key] = .permission(flag) }
                    } else if let limit = reader.double(entry.value, "authority \(entry.key) (a limit or true)") {
                        authority[entry.key] = .limit(limit)
                    }
                }
            }
            var capacity: [String: Int] = [:]
            if let node = reader.required("capacity", in: mapping, "the group"), let entries = reader.dictionary(node, "capacity") {
                for entry in entries {
                    if let slots = reader.int(entry.value, "capacity for \(entry.key)", in: 0...Agent.maxCapacity) {
                        capacity[entry.key] = slots
                    }
                }
            }
            let shift = reader.required("shift", in: mapping, "the group").flatMap(shift)
            guard reader.problems.count == before, let name, let count, let shift else { return nil }
            return AgentGroup(name: name, count: count, skills: skills, authority: authority, capacity: capacity, shift: shift)
        }
    }

    private func shift(_ node: YAMLNode) -> Shift? {
        guard let mapping = reader.mapping(node, "shift", allowed: ["start", "end", "breaks"]),
            let start = reader.required("start", in: mapping, "shift").flatMap({ time($0, "shift start") }),
            let end = reader.required("end", in: mapping, "shift").flatMap({ time($0, "shift end") })
        else { return nil }
        if end <= start {
            reader.report("shift ends at or before it starts (a shift past midnight is not supported)", at: node)
            return nil
        }
        var breaks: [Shift.Break] = []
        for item in mapping["breaks"].flatMap({ reader.list($0, "breaks") }) ?? [] {
            guard let pause = reader.mapping(item, "a break", allowed: ["at", "for", "stagger"]),
                let at = reader.required("at", in: pause, "a break").flatMap({ time($0, "break at") }),
                let length = reader.required("for", in: pause, "a break").flatMap({ reader.duration($0, "break for") })
            else { continue }
            var stagger = 0.0
            if let node = pause["stagger"] {
                guard let seconds = reader.duration(node, "break stagger", allowZero: true) else { continue }
                stagger = seconds
            }
            if at < start || at + stagger + length > end {
                reader.report("the break (with its stagger) must lie within the shift", at: item)
                continue
            }
            if let last = breaks.last, at < last.at + last.stagger + last.length {
                reader.report("breaks must be in order and must not overlap (stagger included)", at: item)
                continue
            }
            breaks.append(Shift.Break(at: at, length: length, stagger: stagger))
        }
        return Shift(start: start, end: end, breaks: breaks)
    }

    // MARK: values

    /// `"08:30"`: seconds after midnight (up to `24:00`).
    private func time(_ node: YAMLNode, _ what: String) -> Double? {
        let parts = (node.text ?? "").split(separator: ":", omittingEmptySubsequences: false)
        if node.scalar != nil, parts.count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 24 * 60
        {
            return Double(hours * 3600 + minutes * 60)
        }
        reader.report("\(what) must be a time of day like \"08:30\" (quoted), found \(node.found)", at: node)
        return nil
    }

    private func share(_ node: YAMLNode, _ what: String, atMost limit: Double?) -> Double? {
        guard let value = reader.double(node, what) else { return nil }
        if value < 0 || (limit.map { value > $0 } ?? false) {
            reader.report("\(what) must be \(limit.map { "from 0 to \(Value.number($0))" } ?? "at least 0"), found \(node.found)", at: node)
            return nil
        }
        return value
    }

    private func shares(_ node: YAMLNode, _ what: String) -> [String: Double]? {
        guard let entries = reader.dictionary(node, what) else { return nil }
        var result: [String: Double] = [:]
        for entry in entries {
            if let value = share(entry.value, "\(what) \(entry.key)", atMost: nil) { result[entry.key] = value }
        }
        if !entries.isEmpty, result.values.reduce(0, +) <= 0 {
            reader.report("\(what) must not all be 0", at: node)
        }
        return result
    }

    private func levels(_ node: YAMLNode) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in reader.dictionary(node, "skills") ?? [] {
            if let level = reader.int(entry.value, "skill level for \(entry.key)", in: 1...5) { result[entry.key] = level }
        }
        return result
    }
}
