import Foundation
import SwitchboardCore

/// Reads routing tables: the YAML files of the routes directory, which admins edit.
public enum RoutesLoader {
    /// Reads every `*.yaml` and `*.yml` file of `directory`, in file-name order, as one table
    /// (``RoutingTable/merged(_:)``).
    ///
    /// Facts and route names are checked across all the files: a route may read a fact of any file,
    /// a fact only those above it, and no two routes share a name.
    /// - Throws: every problem of every file; a missing directory, or one without a table, is a problem naming it.
    public static func load(directory: String) throws(ConfigErrors) -> RoutingTable {
        func problem(_ message: String) -> ConfigErrors {
            ConfigErrors(ConfigProblem(file: directory, line: 0, column: 0, message: message))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw problem("routes directory not found")
        }
        guard isDirectory.boolValue else {
            throw problem("routes must name a directory of routing tables (*.yaml), but this is a file")
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw problem("routes directory cannot be read (check its permissions)")
        }
        let tables = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }.sorted()
        guard !tables.isEmpty else {
            throw problem("routes directory has no routing table (no *.yaml or *.yml file)")
        }
        var sources: [RoutingTableParser.Source] = []
        var problems: [ConfigProblem] = []
        for name in tables {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            switch ConfigFile.read(path, what: "routing table") {
            case .success(let text): sources.append(.init(file: path, text: text))
            case .failure(let problem): problems.append(problem)
            }
        }
        do {
            let table = try RoutingTableParser.parse(sources)
            if problems.isEmpty { return table }
        } catch {
            problems += error.problems
        }
        throw ConfigErrors(problems: problems)
    }

    /// Reads one routing table from its YAML text.
    /// - Parameter file: how problems name the file, e.g. `Routes/support.yaml`.
    /// - Throws: every problem found in the file.
    public static func parse(yaml: String, file: String) throws(ConfigErrors) -> RoutingTable {
        try RoutingTableParser.parse([.init(file: file, text: yaml)])
    }
}
