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
        try parse(try files(directory: directory), directory: directory)
    }

    /// The routing-table files of `directory` (`*.yaml` and `*.yml`, not hidden), in name order.
    /// - Throws: a missing or unreadable directory, one without a table, or a file that cannot be read.
    public static func files(directory: String) throws(ConfigErrors) -> [RouteFile] {
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
        var files: [RouteFile] = []
        var problems: [ConfigProblem] = []
        for name in tables {
            switch ConfigFile.read(path(of: name, in: directory), what: "routing table") {
            case .success(let text): files.append(RouteFile(name: name, yaml: text))
            case .failure(let problem): problems.append(problem)
            }
        }
        guard problems.isEmpty else { throw ConfigErrors(problems: problems) }
        return files
    }

    /// Reads the files of a table as one, as ``load(directory:)`` does; problems name each file as
    /// `directory/name`, in the same words as `switchboard routes check`.
    public static func parse(_ files: [RouteFile], directory: String) throws(ConfigErrors) -> RoutingTable {
        guard !files.isEmpty else {
            throw ConfigErrors(
                ConfigProblem(
                    file: directory, line: 0, column: 0,
                    message: "routes directory has no routing table (no *.yaml or *.yml file)"))
        }
        return try RoutingTableParser.parse(
            files.sorted { $0.name < $1.name }.map { .init(file: path(of: $0.name, in: directory), text: $0.yaml) })
    }

    /// Reads one routing table from its YAML text.
    /// - Parameter file: how problems name the file, e.g. `Routes/support.yaml`.
    /// - Throws: every problem found in the file.
    public static func parse(yaml: String, file: String) throws(ConfigErrors) -> RoutingTable {
        try RoutingTableParser.parse([.init(file: file, text: yaml)])
    }

    /// `directory/name`, as problems and the files on disk name a table file.
    public static func path(of name: String, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
