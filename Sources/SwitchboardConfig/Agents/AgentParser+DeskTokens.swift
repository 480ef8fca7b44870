extension AgentParser {
    /// A token and where the file declares it.
    struct Declared {
        var settings: DeskTokenSettings
        var node: YAMLNode
    }

    /// `tokens: ["sha256:<64 hex digits>", "env:SWITCHBOARD_DESK_ANA"]`: the tokens of `owner`'s desk, acting
    /// for `agents`. A token from the environment must be as strong as any other secret.
    func tokens(_ node: YAMLNode, owner: String, agents: [String]) -> [Declared] {
        guard let items = reader.list(node, "tokens") else { return [] }
        var tokens: [Declared] = []
        for (index, item) in items.enumerated() {
            let what = "token \(index + 1)"
            guard let text = reader.string(item, what) else { continue }
            let id = "\(owner)/\(index + 1)"
            if text.hasPrefix("sha256:") {
                guard let digest = DeskTokenSettings.digest(hex: text.dropFirst("sha256:".count)) else {
                    reader.report("\(what) must be sha256: followed by 64 hex digits, found \(item.found)", at: item)
                    continue
                }
                tokens.append(Declared(settings: DeskTokenSettings(id: id, agents: agents, digest: digest), node: item))
            } else if text.hasPrefix("env:") {
                let variable = String(text.dropFirst("env:".count))
                guard let token = environment[variable] else {
                    reader.report("\(what) names the environment variable \(variable), which is not set", at: item)
                    continue
                }
                if let weak = SecretRule.problem(token) {
                    reader.report("\(what): the environment variable \(variable) \(weak)", at: item)
                    continue
                }
                tokens.append(
                    Declared(
                        settings: DeskTokenSettings(id: id, agents: agents, digest: DeskTokenSettings.digest(token: token)),
                        node: item))
            } else {
                reader.report(
                    "\(what) must be sha256:<64 hex digits> (the token's SHA-256, which `switchboard secret --desk` prints below a fresh token) or env:VARIABLE; the token itself is never written in the file",
                    at: item)
            }
        }
        if let host = serverHost, !SecretRule.isLoopback(host) {
            for token in tokens where SecretRule.demoDigests.contains(token.settings.digest) {
                reader.report(
                    "token \(token.settings.id) is a demo value shipped with Switchboard, refused unless server.host is loopback (127.0.0.1), found \(host)",
                    at: token.node)
            }
        }
        return tokens
    }

    /// `desks: [{id: billing-team, agents: [ana, ben], tokens: [...]}]`: desks shared by several agents of the file.
    func desks(_ node: YAMLNode, agents known: Set<String>) -> [Declared] {
        guard let items = reader.list(node, "desks") else { return [] }
        var tokens: [Declared] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let number = "desk \(index + 1)"
            guard let mapping = reader.mapping(item, number, allowed: ["id", "agents", "tokens"]),
                let idNode = reader.required("id", in: mapping, number), let id = reader.string(idNode, "\(number) id")
            else { continue }
            if known.contains(id) || !seen.insert(id).inserted {
                reader.report("desk id \(idNode.found) is already used by an agent or another desk", at: idNode)
                continue
            }
            reader.within("desk \"\(id)\"") {
                var members: [String] = []
                if let agentsNode = reader.required("agents", in: mapping, "desk"), let list = reader.list(agentsNode, "agents") {
                    for entry in list {
                        guard let agent = reader.string(entry, "each of agents") else { continue }
                        guard known.contains(agent) else {
                            reader.report("agents names \(entry.found), which is not an agent of this file", at: entry)
                            continue
                        }
                        members.append(agent)
                    }
                    if list.isEmpty { reader.report("agents must name at least one agent", at: agentsNode) }
                }
                if let tokensNode = reader.required("tokens", in: mapping, "desk") {
                    tokens += self.tokens(tokensNode, owner: id, agents: members)
                }
            }
        }
        return tokens
    }
}
