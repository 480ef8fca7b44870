import Foundation

/// One file of a routing table as an admin wrote it: its name in the routes directory and its YAML.
/// A version of the table is its files, in name order.
public struct RouteFile: Sendable, Hashable, Codable {
    /// The file's name in the routes directory, e.g. `support.yaml`.
    public var name: String
    public var yaml: String

    public init(name: String, yaml: String) {
        self.name = name
        self.yaml = yaml
    }

    /// Whether `name` can name a file of the routes directory: a plain name ending in `.yaml` or `.yml`,
    /// not hidden, without a path.
    public static func isValidName(_ name: String) -> Bool {
        (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasPrefix(".") && !name.contains("/")
            && !name.contains("\\") && name.count <= 200
            && name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value != 127 }
    }
}
