/// A problem found while parsing an ``Expression``.
///
/// `line` and `column` are 1-based and count characters within the expression's own source,
/// so a caller embedding the expression in a larger file can offset them.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line within the expression source.
    public var line: Int
    /// The 1-based column (in characters) within that line.
    public var column: Int
    /// What was found and what was expected, e.g. `expected a value after "==" but found end of expression`.
    public var message: String

    /// Creates an error at a position within the expression source.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line:column: message`, e.g. `1:15: expected a value after "==" but found end of expression`.
    public var description: String {
        "\(line):\(column): \(message)"
    }
}
