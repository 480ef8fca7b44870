import SwitchboardCore
import SwitchboardSimulation

/// Reads a day's scenario for `switchboard simulate day` (format: docs/simulation.md), reporting every problem
/// as `file:line:column: message`.
public enum ScenarioLoader {
    static let topKeys = ["name", "seed", "day", "arrivals", "intents", "agents"]

    public static func load(path: String) throws(ConfigErrors) -> Scenario {
        switch ConfigFile.read(path, what: "scenario file") {
        case .success(let text): return try parse(yaml: text, file: path)
        case .failure(let problem): throw ConfigErrors(problem)
        }
    }

    public static func parse(yaml: String, file: String) throws(ConfigErrors) -> Scenario {
        let reader = YAMLReader(file: file, source: yaml)
        let scenario = ScenarioParser(reader: reader).scenario(reader.root())
        guard reader.problems.isEmpty, let scenario else {
            if reader.problems.isEmpty {
                throw ConfigErrors(ConfigProblem(file: file, line: 1, column: 1, message: "the scenario is empty"))
            }
            throw ConfigErrors(problems: reader.problemsInFileOrder)
        }
        return scenario
    }
}
