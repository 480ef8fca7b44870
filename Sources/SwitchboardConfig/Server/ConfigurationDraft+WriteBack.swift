import Configuration

/// A source's `write_back`: read from the file with the source, its token possibly from the environment,
/// then checked once every value is final.
extension ConfigurationDraft {
    /// The keys of a source's `write_back`.
    static let writeBackKeys = ["kind", "api_url", "email", "api_token", "admin_id"]

    /// Reads `write_back` of `source` (whose kind is already read). Leaves `source.writeBack` nil when the
    /// platform cannot be told or a required value is missing; every such problem is recorded in `reader`.
    mutating func readWriteBack(_ node: YAMLNode, into source: inout SourceSettings, _ reader: YAMLReader) {
        if node.isNull {
            reader.report("write_back must be a mapping with api_url and credentials, found nothing", at: node)
            return
        }
        guard let mapping = reader.mapping(node, "write_back", allowed: Self.writeBackKeys) else { return }
        writeBackPlaces[source.name] = (node.line, node.column)
        let kind: WriteBackKind
        if let kindNode = mapping["kind"] {
            guard let chosen = reader.choice(kindNode, "write_back kind", as: WriteBackKind.self) else { return }
            kind = chosen
        } else if let implied = WriteBackKind(source: source.kind) {
            kind = implied
        } else {
            if !sourcesWithoutKind.contains(source.name) {
                let kinds = YAMLReader.list(WriteBackKind.allCases.map(\.rawValue), conjunction: "or")
                reader.report(
                    "write_back: kind \(source.kind.rawValue) has no write-back; set write_back kind to \(kinds) "
                        + "when this source's conversations live on that platform", at: node)
            }
            return
        }
        func text(_ key: String) -> (String, YAMLNode)? {
            guard let valueNode = mapping[key], let value = reader.string(valueNode, "write_back \(key)") else {
                return nil
            }
            origins["sources.\(source.name).write_back.\(key)"] = .file(line: valueNode.line, column: valueNode.column)
            return (value, valueNode)
        }
        var settings = WriteBackSettings(kind: kind, apiURL: kind.defaultAPIURL ?? "", apiToken: "")
        var complete = true
        if let (url, urlNode) = text("api_url") {
            let scheme = ["https://", "http://"].first { url.hasPrefix($0) }
            if let scheme, url.count > scheme.count, !url.contains(where: \.isWhitespace) {
                settings.apiURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                reader.report("write_back api_url must be an http(s) URL, found \(urlNode.found)", at: urlNode)
                complete = false
            }
        } else if mapping["api_url"] != nil {
            complete = false  // not text: already reported
        } else if kind.defaultAPIURL == nil {
            reader.report("write_back (\(kind.rawValue)) is missing api_url, e.g. https://acme.zendesk.com", at: node)
            complete = false
        }
        for (key, only) in [("email", WriteBackKind.zendesk), ("admin_id", .intercom)] {
            guard let keyNode = mapping.entries.first(where: { $0.key == key })?.keyNode else { continue }
            if kind != only {
                reader.report("write_back \(key) is only for \(only.rawValue), not \(kind.rawValue)", at: keyNode)
                complete = false
            }
        }
        if kind == .zendesk {
            if let (email, _) = text("email") {
                settings.email = email
            } else {
                if mapping["email"] == nil {
                    reader.report("write_back (zendesk) is missing email: the user the API token belongs to", at: node)
                }
                complete = false
            }
        }
        if kind == .intercom, let (admin, _) = text("admin_id") { settings.adminId = admin }
        if let (token, _) = text("api_token") { settings.apiToken = token }
        if complete { source.writeBack = settings }
    }

    /// `SWITCHBOARD_SOURCES_<NAME>_WRITE_BACK_API_TOKEN` for each source with `write_back` in the file.
    mutating func applyWriteBackEnvironment(_ reader: ConfigReader) {
        for index in configuration.sources.indices where configuration.sources[index].writeBack != nil {
            let path = ["sources", configuration.sources[index].name, "write_back", "api_token"]
            guard let token = reader.string(forKey: Self.key(path), isSecret: true) else { continue }
            configuration.sources[index].writeBack?.apiToken = token
            origins[path.joined(separator: ".")] = .environment(Self.variableName(path))
        }
    }

    /// Write-backs without a token, wherever it was to come from.
    func writeBackProblems(file: String) -> [ConfigProblem] {
        configuration.sources.compactMap { source in
            guard let writeBack = source.writeBack, writeBack.apiToken.isEmpty else { return nil }
            let place = writeBackPlaces[source.name] ?? sourcePlaces[source.name] ?? (1, 1)
            let variable = Self.variableName(["sources", source.name, "write_back", "api_token"])
            return ConfigProblem(
                file: file, line: place.line, column: place.column,
                message: "source \"\(source.name)\": write_back has no api_token; write it here or set \(variable)")
        }
    }
}
