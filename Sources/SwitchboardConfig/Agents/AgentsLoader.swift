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
/// ```
public enum AgentsLoader {
    /// The keys an agent accepts, in one place so that new ones are easy to add.
    static let agentKeys = ["id", "name", "status", "skills", "authority", "capacity", "desk"]
    /// The keys of an agent's desk.
    static let deskKeys = ["url", "secret"]

    /// Reads the agents file at `path`.
    /// - Throws: every problem of the file; a missing file is a problem naming it.
    public static func load(path: String) throws(ConfigErrors) -> [Agent] {
        switch ConfigFile.read(path, what: "agents file") {
        case .success(let text): return try parse(yaml: text, file: path)
        case .failure(let problem): throw ConfigErrors(problem)
        }
    }

    /// Reads agents from the YAML text of an agents file.
    /// - Parameter file: how problems name the file, e.g. `Config/agents.yaml`.
    /// - Throws: every problem found in the file.
    public static func parse(yaml: String, file: String) throws(ConfigErrors) -> [Agent] {
        let reader = YAMLReader(file: file, source: yaml)
        let agents = AgentParser(reader: reader).agents(reader.root())
        guard reader.problems.isEmpty else { throw ConfigErrors(problems: reader.problemsInFileOrder) }
        return agents
    }
}
