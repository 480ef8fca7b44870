import Foundation
import NetworkPolicy
import SwitchboardCore

/// Reads the agents file (`Config/agents.yaml`): who receives handoffs, with what skills and authority.
///
/// ```yaml
/// agents:
///   - id: ana
///     name: Ana Lopez
///     status: online                      # online | away | offline (default)
///     skills: {billing: 4, general: 3}    # 1 to 5
///     authority: {refund_limit: 500, approve_returns: true}
///     capacity: {chat: 3, email: 10}
///     desk: {url: "https://desk.example.com/hook", secret: "whsec_..."}
///     platform_ids: {zd: 12345, ic: "814860", fr: tea_abc}   # the agent's id on each source's platform
///     tokens: ["sha256:9f86d0...", "env:SWITCHBOARD_DESK_ANA"]   # bearer tokens of the agent's desk
/// desks:                                  # desks shared by several agents, with tokens of their own
///   - {id: billing-team, agents: [ana, ben], tokens: ["env:SWITCHBOARD_DESK_BILLING"]}
/// ```
public enum AgentsLoader {
    /// The keys an agent accepts, in one place so that new ones are easy to add.
    static let agentKeys = ["id", "name", "status", "skills", "authority", "capacity", "desk", "platform_ids", "tokens"]
    /// The keys of an agent's desk.
    static let deskKeys = ["url", "secret"]

    /// Reads the agents file at `path`.
    /// - Parameter sources: the configured sources; when given, `platform_ids` must name sources with
    ///   `write_back`, and ids for Zendesk must be whole numbers.
    /// - Throws: every problem of the file; a missing file is a problem naming it.
    public static func load(path: String, sources: [SourceSettings]? = nil) throws(ConfigErrors) -> [Agent] {
        try loadFile(path: path, sources: sources).agents
    }

    /// Reads the agents file at `path` with its desk tokens, `env:` ones from `environment`.
    /// - Parameter serverHost: the address the server listens on: off loopback, the demo desk tokens are refused.
    public static func loadFile(
        path: String, sources: [SourceSettings]? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, serverHost: String? = nil,
        outbound: OutboundPolicy = OutboundPolicy()
    ) throws(ConfigErrors) -> AgentsFile {
        switch ConfigFile.read(path, what: "agents file") {
        case .success(let text):
            return try parseFile(
                yaml: text, file: path, sources: sources, environment: environment, serverHost: serverHost, outbound: outbound)
        case .failure(let problem): throw ConfigErrors(problem)
        }
    }

    /// Reads agents from the YAML text of an agents file.
    /// - Parameters:
    ///   - file: how problems name the file, e.g. `Config/agents.yaml`.
    ///   - sources: the configured sources, to check `platform_ids` against (see ``load(path:sources:)``).
    /// - Throws: every problem found in the file.
    public static func parse(
        yaml: String, file: String, sources: [SourceSettings]? = nil
    ) throws(ConfigErrors) -> [Agent] {
        try parseFile(yaml: yaml, file: file, sources: sources).agents
    }

    /// Reads agents and desk tokens from the YAML text of an agents file, `env:` tokens from `environment`.
    public static func parseFile(
        yaml: String, file: String, sources: [SourceSettings]? = nil, environment: [String: String] = [:],
        serverHost: String? = nil, outbound: OutboundPolicy = OutboundPolicy()
    ) throws(ConfigErrors) -> AgentsFile {
        let reader = YAMLReader(file: file, source: yaml)
        let writeBacks = sources.map { sources in
            Dictionary(
                sources.compactMap { source in source.writeBack.map { (source.name, $0.kind) } },
                uniquingKeysWith: { first, _ in first })
        }
        let parsed = AgentParser(
            reader: reader, writeBacks: writeBacks, environment: environment, serverHost: serverHost, outbound: outbound).file(reader.root())
        guard reader.problems.isEmpty else { throw ConfigErrors(problems: reader.problemsInFileOrder) }
        return parsed
    }
}
