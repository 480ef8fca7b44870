import NetworkPolicy
import StandardWebhooks
import SwitchboardCore

/// Walks an agents file, checking each agent and recording problems at the values they concern.
///
/// Range rules come from ``Agent/problems``: each entry is checked on its own so that Core's
/// message is reported at that entry's value, and anything left over at the agent's line.
struct AgentParser {
    let reader: YAMLReader
    /// The sources with write-back, by name, with the platform written to; nil when the sources are not
    /// known (then `platform_ids` is only checked for its shape).
    var writeBacks: [String: WriteBackKind]?
    /// Where `env:` desk tokens are read from.
    var environment: [String: String] = [:]
    /// The address the server listens on, when known: off loopback, the demo desk tokens are refused.
    var serverHost: String?
    /// Where desks may be: a desk URL written as an address this refuses is a problem of the file.
    var outbound = OutboundPolicy()

    func file(_ root: YAMLNode?) -> AgentsFile {
        guard let root else {
            if reader.problems.isEmpty {
                reader.report("the file is empty; expected agents: followed by a list", line: 1, column: 1)
            }
            return AgentsFile(agents: [])
        }
        guard let top = reader.mapping(root, "the agents file", allowed: ["agents", "desks"], naming: false),
            let listNode = reader.required("agents", in: top, "the agents file"),
            let items = reader.list(listNode, "agents")
        else { return AgentsFile(agents: []) }
        var agents: [Agent] = []
        var tokens: [Declared] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let (agent, own) = agent(item, number: index + 1) else { continue }
            if let line = seen[agent.id] {
                reader.report("agent \"\(agent.id)\": id is already used by the agent at line \(line)", at: item)
                continue
            }
            seen[agent.id] = item.line
            agents.append(agent)
            tokens += own
        }
        if let desksNode = top["desks"] {
            // Every agent the file names counts, even one with problems of its own (reported already).
            let named = Set(items.compactMap { $0.entries?.first { $0.key.text == "id" }?.value.text })
            tokens += desks(desksNode, agents: named)
        }
        var places: [String: String] = [:]
        for token in tokens {
            if let first = places[token.settings.digest] {
                reader.report("this token is the same as desk token \(first): give each desk its own", at: token.node)
            }
            places[token.settings.digest] = places[token.settings.digest] ?? token.settings.id
        }
        return AgentsFile(agents: agents, deskTokens: tokens.map(\.settings))
    }

    private func agent(_ node: YAMLNode, number: Int) -> (Agent, [Declared])? {
        guard node.entries != nil else {
            let keys = YAMLReader.list(AgentsLoader.agentKeys)
            reader.report("agent \(number) must be a mapping with \(keys), found \(node.found)", at: node)
            return nil
        }
        let idNode = node.entries?.first { $0.key.text == "id" }?.value
        let id = idNode.flatMap { reader.string($0, "agent \(number) id") }
        if idNode == nil { reader.report("agent \(number) has no id", at: node) }
        let label = id.map { "agent \"\($0)\"" } ?? "agent \(number)"
        return reader.within(label) { () -> (Agent, [Declared])? in
            let before = reader.problems.count
            guard let mapping = reader.mapping(node, label, allowed: AgentsLoader.agentKeys, naming: false) else {
                return nil
            }
            if let id, let idNode, id.contains(where: { $0.isWhitespace || $0 == "/" }) {
                reader.report("id must not contain spaces or /, found \(idNode.found)", at: idNode)
            }
            var agent = Agent(id: id ?? "", name: id ?? "")
            if let nameNode = mapping["name"], let name = reader.string(nameNode, "name") { agent.name = name }
            if let statusNode = mapping["status"], let status = reader.choice(statusNode, "status", as: Presence.self) {
                agent.status = status
            }
            if let skillsNode = mapping["skills"] {
                agent.skills = levels(skillsNode, "skills", each: "skill level") {
                    Agent(id: "-", name: "-", skills: $0)
                }
            }
            if let authorityNode = mapping["authority"] { agent.authority = authority(authorityNode) }
            if let capacityNode = mapping["capacity"] {
                agent.capacity = levels(capacityNode, "capacity", each: "capacity") {
                    Agent(id: "-", name: "-", capacity: $0)
                }
            }
            if let deskNode = mapping["desk"] { agent.desk = desk(deskNode) }
            if let idsNode = mapping["platform_ids"] { agent.platformIds = platformIds(idsNode) }
            let tokens = mapping["tokens"].map { self.tokens($0, owner: id ?? "", agents: [id ?? ""]) } ?? []
            let reported = Set(reader.problems[before...].map(\.message))
            for problem in agent.problems where id != nil && !reported.contains("\(label): \(problem)") {
                reader.report(problem, at: node)
            }
            return reader.problems.count == before && id != nil ? (agent, tokens) : nil
        }
    }

    /// A mapping of names to whole numbers, each checked by Core's rules through `probe`.
    private func levels(
        _ node: YAMLNode, _ what: String, each: String, probe: ([String: Int]) -> Agent
    ) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in reader.dictionary(node, what) ?? [] {
            guard let number = reader.int(entry.value, "\(each) for \(entry.key)") else { continue }
            result[entry.key] = number
            for problem in probe([entry.key: number]).problems { reader.report(problem, at: entry.value) }
        }
        return result
    }

    /// `refund_limit: 500` (a limit) or `approve_returns: true` (a permission).
    private func authority(_ node: YAMLNode) -> [String: AuthorityGrant] {
        var result: [String: AuthorityGrant] = [:]
        for entry in reader.dictionary(node, "authority") ?? [] {
            switch entry.value.tagName {
            case .bool:
                if let flag = entry.value.node.bool { result[entry.key] = .permission(flag) }
            case .int, .float:
                if let number = entry.value.node.float, number.isFinite, number >= 0 {
                    result[entry.key] = .limit(number)
                } else {
                    reader.report("authority \(entry.key) must not be negative, found \(entry.value.found)", at: entry.value)
                }
            default:
                reader.report(
                    "authority \(entry.key) must be a number (a limit) or true/false (a permission), found \(entry.value.found)",
                    at: entry.value)
            }
        }
        return result
    }

    /// `desk: {url: https://…, secret: whsec_…}`.
    private func desk(_ node: YAMLNode) -> Desk? {
        guard let mapping = reader.mapping(node, "desk", allowed: AgentsLoader.deskKeys) else { return nil }
        if node.isNull { return nil }
        let urlNode = reader.required("url", in: mapping, "desk")
        let secretNode = reader.required("secret", in: mapping, "desk")
        guard let url = urlNode.flatMap({ reader.string($0, "desk url") }),
            let secret = secretNode.flatMap({ reader.string($0, "desk secret") }),
            let urlNode, let secretNode
        else { return nil }
        let desk = Desk(url: url, secret: secret)
        for problem in Agent(id: "-", name: "-", desk: desk).problems { reader.report(problem, at: urlNode) }
        if let refusal = outbound.refusal(url: url) {
            reader.report("desk url is refused: \(refusal)", at: urlNode)
        }
        if !WebhookSecret.isValid(secret) {
            reader.report("desk secret must be \(WebhookSecret.writtenForm)", at: secretNode)
        } else if let weak = SecretRule.keyProblem(secret) {
            reader.report("desk secret \(weak)", at: secretNode)
        } else if SecretRule.demoValues.contains(secret), !SecretRule.isLoopback(url: url) {
            reader.report("desk secret is a demo value shipped with Switchboard, refused for a desk that is not on loopback", at: secretNode)
        }
        return desk
    }
}
