/// One problem found in a configuration file, a routing table, an agents file or the environment,
/// located so that an admin can go straight to it.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as it was named when loading it (`Routes/support.yaml`), or `environment` for an override.
    public var file: String
    /// The 1-based line; 0 when the problem concerns the whole file or an environment variable.
    public var line: Int
    /// The 1-based column, counted in characters; 0 together with a line of 0.
    public var column: Int
    /// What is wrong, in words an admin understands.
    public var message: String

    /// Creates a problem at a position of a file.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, e.g.
    /// `Routes/support.yaml:9:25: route "refunds": skill level for billing must be 1 to 5, found 7`.
    ///
    /// A problem without a position (line 0: a missing file, an environment variable) reads `file: message`.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// Every problem found while loading, in file order; thrown when there is at least one.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, at least one.
    public var problems: [ConfigProblem]

    /// Wraps the problems found.
    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// Wraps a single problem.
    public init(_ problem: ConfigProblem) {
        self.problems = [problem]
    }

    /// One problem per line, each as `file:line:column: message`.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

extension [ConfigProblem] {
    /// The problems by line, then column; problems at the same place keep their order.
    func sortedByPosition() -> [ConfigProblem] {
        enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
    }
}
