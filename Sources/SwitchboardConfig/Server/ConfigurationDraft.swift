import StandardWebhooks

/// A configuration being assembled from the file, then the environment, remembering where each
/// value came from so that a later check can point at the right place.
struct ConfigurationDraft {
    /// Where a value came from.
    enum Origin {
        case file(line: Int, column: Int)
        case environment(String)
    }

    var configuration = SwitchboardConfiguration()
    /// Origins by setting name (`server.port`, `sources.web.secret`); absent for defaults.
    var origins: [String: Origin] = [:]
    /// Where each source was declared, by name.
    var sourcePlaces: [String: (line: Int, column: Int)] = [:]
    /// Sources whose kind could not be read: their other settings are not checked against a guess.
    var sourcesWithoutKind: Set<String> = []
    /// Where each source's `write_back` was written, by source name.
    var writeBackPlaces: [String: (line: Int, column: Int)] = [:]

    // MARK: - The file

    /// Reads the file's settings, recording problems in `reader`.
    mutating func read(_ root: YAMLNode?, _ reader: YAMLReader) {
        guard let root,
            let top = reader.mapping(root, "the config file", allowed: ConfigurationSetting.topLevelKeys, naming: false)
        else { return }
        for entry in top.entries {
            switch entry.key {
            case "sources": readSources(entry.value, reader)
            case let key where ConfigurationSetting.tokenLists.contains { $0.key == key }:
                readTokens(key, entry.value, reader)
            case let section where ConfigurationSetting.isSection(section):
                let keys = ConfigurationSetting.keys(of: section)
                guard let mapping = reader.mapping(entry.value, section, allowed: keys) else { continue }
                for item in mapping.entries {
                    if let setting = ConfigurationSetting.all.first(where: { $0.path == [section, item.key] }) {
                        read(setting, item.value, reader)
                    }
                }
            default:
                if let setting = ConfigurationSetting.all.first(where: { $0.path == [entry.key] }) {
                    read(setting, entry.value, reader)
                }
            }
        }
    }

    private mutating func read(_ setting: ConfigurationSetting, _ node: YAMLNode, _ reader: YAMLReader) {
        let what = setting.name
        switch setting.kind {
        case .text(let path):
            guard let text = reader.string(node, what) else { return }
            configuration[keyPath: path] = text
        case .choice(let words, let path):
            guard let text = reader.string(node, what) else { return }
            guard words.contains(text) else {
                reader.report("\(what) must be \(YAMLReader.list(words, conjunction: "or")), found \(node.found)", at: node)
                return
            }
            configuration[keyPath: path] = text
        case .integer(let range, let path):
            guard let number = reader.int(node, what, in: range) else { return }
            configuration[keyPath: path] = number
        case .seconds(let path):
            guard let seconds = reader.double(node, what) else { return }
            guard seconds > 0 else {
                reader.report("\(what) must be more than 0 seconds, found \(node.found)", at: node)
                return
            }
            configuration[keyPath: path] = seconds
        case .flag(let path):
            guard let flag = reader.bool(node, what) else { return }
            configuration[keyPath: path] = flag
        }
        origins[what] = .file(line: node.line, column: node.column)
    }

    private mutating func readTokens(_ key: String, _ node: YAMLNode, _ reader: YAMLReader) {
        guard let list = ConfigurationSetting.tokenLists.first(where: { $0.key == key }),
            let items = reader.list(node, key)
        else { return }
        var tokens: [String] = []
        for item in items {
            if let token = reader.string(item, "each of \(key)") { tokens.append(token) }
        }
        configuration[keyPath: list.path] = tokens
        origins[key] = .file(line: node.line, column: node.column)
    }

    private mutating func readSources(_ node: YAMLNode, _ reader: YAMLReader) {
        guard let items = reader.list(node, "sources") else { return }
        for (index, item) in items.enumerated() {
            let number = index + 1
            guard let mapping = reader.mapping(item, "source \(number)", allowed: ConfigurationSetting.sourceKeys)
            else { continue }
            guard let nameNode = reader.required("name", in: mapping, "source \(number)"),
                let name = reader.string(nameNode, "source \(number) name")
            else { continue }
            guard Self.isSourceName(name) else {
                reader.report(
                    "source name \(nameNode.found) must use only lowercase letters, digits, _ and -", at: nameNode)
                continue
            }
            if let earlier = sourcePlaces[name] {
                reader.report("another source is already named \"\(name)\" (line \(earlier.line))", at: nameNode)
                continue
            }
            sourcePlaces[name] = (item.line, item.column)
            var source = SourceSettings(name: name, kind: .standard, secret: "")
            reader.within("source \"\(name)\"") {
                if let kindNode = mapping["kind"] {
                    if let kind = reader.choice(kindNode, "kind", as: SourceKind.self) {
                        source.kind = kind
                    } else {
                        sourcesWithoutKind.insert(name)
                    }
                }
                if let secretNode = mapping["secret"], let secret = reader.string(secretNode, "secret") {
                    source.secret = secret
                    origins["sources.\(name).secret"] = .file(line: secretNode.line, column: secretNode.column)
                }
                for (key, path) in [
                    ("public_url", \SourceSettings.publicURL), ("username", \.username), ("password", \.password),
                    ("token", \.token), ("api_token", \.apiToken), ("api_url", \.apiURL), ("url", \.url),
                    ("homeserver", \.homeserver), ("user", \.user), ("access_token", \.accessToken),
                    ("authserv_id", \.authservId),
                ] {
                    if let node = mapping[key], let value = reader.string(node, key) {
                        source[keyPath: path] = value
                        origins["sources.\(name).\(key)"] = .file(line: node.line, column: node.column)
                    }
                }
                if let node = mapping["join_from"], let items = reader.list(node, "join_from") {
                    for item in items {
                        guard let entry = reader.string(item, "each of join_from") else { continue }
                        guard entry.hasPrefix("@") || entry.hasPrefix("!"), entry.contains(":") else {
                            reader.report(
                                "join_from lists user ids (@user:server) and room ids (!room:server), found \(item.found)", at: item)
                            continue
                        }
                        source.joinFrom.append(entry)
                    }
                }
                if let node = mapping["verify_senders"], let verify = reader.bool(node, "verify_senders") {
                    source.verifySenders = verify
                }
                if let node = mapping["interval"], let seconds = reader.duration(node, "interval") {
                    source.interval = seconds
                }
                if let node = mapping["write_back"] { readWriteBack(node, into: &source, reader) }
            }
            configuration.sources.append(source)
        }
    }

    /// `web`, `zendesk-eu`, `help_scout`.
    static func isSourceName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    // MARK: - Checks that need the final values

    /// Secrets (present and valid, wherever they came from) and backoffs that fit together.
    func validate(file: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ origin: Origin?, _ message: String, fileMessage: String) {
            switch origin {
            case .environment(let variable):
                problems.append(ConfigProblem(file: "environment", line: 0, column: 0, message: "\(variable) \(message)"))
            case .file(let line, let column):
                problems.append(ConfigProblem(file: file, line: line, column: column, message: fileMessage))
            case nil:
                break
            }
        }
        for source in configuration.sources where !sourcesWithoutKind.contains(source.name) {
            let place = sourcePlaces[source.name] ?? (1, 1)
            func problem(_ message: String) {
                problems.append(ConfigProblem(file: file, line: place.line, column: place.column, message: message))
            }
            // Outbound URLs written as an address the outbound policy refuses (a name is judged when connecting).
            for (key, url) in [("url", source.url), ("homeserver", source.homeserver), ("write_back.api_url", source.writeBack?.apiURL)] {
                guard let url, let refusal = configuration.outbound.policy.refusal(url: url) else { continue }
                let origin = origins["sources.\(source.name).\(key)"] ?? .file(line: place.line, column: place.column)
                report(origin, "is refused: \(refusal)", fileMessage: "source \"\(source.name)\": \(key) is refused: \(refusal)")
            }
            if source.kind == .imap {
                if let url = source.url {
                    if !(url.hasPrefix("imaps://") || url.hasPrefix("imap://")) {
                        problem("source \"\(source.name)\": url must be an imaps:// (or imap://) mailbox URL, found \"\(url)\"")
                    }
                } else {
                    problem("source \"\(source.name)\" (kind imap) needs url, e.g. imaps://mail.example.com/INBOX")
                }
                if source.username == nil || source.password == nil {
                    problem("source \"\(source.name)\" (kind imap) needs username and password")
                }
                continue
            }
            if source.kind == .matrix {
                if let homeserver = source.homeserver {
                    if !(homeserver.hasPrefix("https://") || homeserver.hasPrefix("http://")) {
                        problem("source \"\(source.name)\": homeserver must be an http(s) URL, found \"\(homeserver)\"")
                    }
                } else {
                    problem("source \"\(source.name)\" (kind matrix) needs homeserver, e.g. http://127.0.0.1:8008")
                }
                if source.user == nil { problem("source \"\(source.name)\" (kind matrix) needs user, e.g. @switchboard:localhost") }
                if source.accessToken == nil, source.password == nil {
                    problem("source \"\(source.name)\" (kind matrix) needs access_token or password")
                }
                continue
            }
            if source.kind == .email {
                let basic = source.username != nil || source.password != nil
                if basic, source.username == nil || source.password == nil {
                    problem("source \"\(source.name)\": basic auth needs both username and password")
                }
                if !basic, source.token == nil {
                    problem(
                        "source \"\(source.name)\" (kind email) needs username and password (basic auth) or token (a secret path)")
                }
                for (key, value) in [("password", source.password), ("token", source.token)] {
                    if let value, let weak = SecretRule.problem(value) {
                        let origin = origins["sources.\(source.name).\(key)"] ?? .file(line: place.line, column: place.column)
                        report(origin, weak, fileMessage: "source \"\(source.name)\": \(key) \(weak)")
                    }
                }
                continue
            }
            let variable = ConfigurationDraft.variableName(["sources", source.name, "secret"])
            let origin = origins["sources.\(source.name).secret"]
            guard origin != nil else {
                problem("source \"\(source.name)\" has no secret; write it here or set \(variable)")
                continue
            }
            if source.kind == .standard, !WebhookSecret.isValid(source.secret) {
                let rule = "must be \(WebhookSecret.writtenForm)"
                report(origin, rule, fileMessage: "source \"\(source.name)\": secret \(rule)")
            } else if let weak = source.kind == .standard ? SecretRule.keyProblem(source.secret) : SecretRule.problem(source.secret) {
                report(origin, weak, fileMessage: "source \"\(source.name)\": secret \(weak)")
            }
            if source.kind == .twilio {
                if let url = source.publicURL {
                    if !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                        problem("source \"\(source.name)\": public_url must be the http(s) URL Twilio posts to, found \"\(url)\"")
                    }
                } else {
                    problem(
                        "source \"\(source.name)\" (kind twilio) needs public_url: the URL Twilio posts to, which it signs")
                }
            }
        }
        reportWeakSecrets(report)
        problems += writeBackProblems(file: file)
        let delivery = configuration.delivery
        if delivery.maxBackoffSeconds < delivery.initialBackoffSeconds {
            let origin = origins["delivery.max_backoff_seconds"] ?? origins["delivery.initial_backoff_seconds"]
            let message = "must be at least delivery.initial_backoff_seconds (\(Self.format(delivery.initialBackoffSeconds)))"
            report(
                origin ?? .file(line: 1, column: 1), message,
                fileMessage: "delivery.max_backoff_seconds (\(Self.format(delivery.maxBackoffSeconds))) \(message)")
        }
        return problems
    }

    /// `5` rather than `5.0`; `0.5` as is.
    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }

    /// Admin and viewer tokens too short, and demo secrets on a server others can reach.
    private func reportWeakSecrets(_ report: (Origin?, String, String) -> Void) {
        for list in ConfigurationSetting.tokenLists {
            for (index, token) in configuration[keyPath: list.path].enumerated() {
                if let weak = SecretRule.problem(token) {
                    report(origins[list.key], "token \(index + 1) \(weak)", "\(list.key): token \(index + 1) \(weak)")
                }
            }
        }
        let host = configuration.server.host
        guard !SecretRule.isLoopback(host) else { return }
        let refusal = "is a demo value shipped with Switchboard, refused unless server.host is loopback (127.0.0.1), found \(host)"
        for list in ConfigurationSetting.tokenLists {
            for (index, token) in configuration[keyPath: list.path].enumerated() where SecretRule.demoValues.contains(token) {
                report(origins[list.key], "token \(index + 1) \(refusal)", "\(list.key): token \(index + 1) \(refusal)")
            }
        }
        for source in configuration.sources where SecretRule.demoValues.contains(source.secret) {
            let place = sourcePlaces[source.name].map { Origin.file(line: $0.line, column: $0.column) }
            report(
                origins["sources.\(source.name).secret"] ?? place, "\(refusal)", "source \"\(source.name)\": secret \(refusal)")
        }
    }
}
