extension AgentParser {
    /// `platform_ids: {zd: 12345, ic: "814860", fr: tea_abc}`: the agent's id on each source's platform, kept as
    /// text. When the sources are known, each key must be a source with `write_back`, and an id for a Zendesk
    /// write-back must be a whole number (a Zendesk user id).
    func platformIds(_ node: YAMLNode) -> [String: String] {
        var result: [String: String] = [:]
        for entry in reader.dictionary(node, "platform_ids") ?? [] {
            let what = "platform id for \(entry.key)"
            guard entry.value.tagName == .str || entry.value.tagName == .int else {
                reader.report("\(what) must be text or a whole number, found \(entry.value.found)", at: entry.value)
                continue
            }
            guard let value = reader.string(entry.value, what) else { continue }
            if let writeBacks {
                guard let kind = writeBacks[entry.key] else {
                    let known = writeBacks.keys.sorted()
                    let hint =
                        known.isEmpty
                        ? "no source has write_back" : "sources with write_back: \(known.joined(separator: ", "))"
                    reader.report(
                        "platform_ids names \"\(entry.key)\", which is not a source with write_back (\(hint))",
                        at: entry.keyNode)
                    continue
                }
                if kind == .zendesk, !value.allSatisfy({ ("0"..."9").contains($0) }) {
                    reader.report(
                        "\(what) must be a Zendesk user id (a whole number), found \(entry.value.found)",
                        at: entry.value)
                    continue
                }
            }
            result[entry.key] = value
        }
        return result
    }
}
