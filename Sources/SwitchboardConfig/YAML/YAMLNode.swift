import Yams

/// A node of a YAML document with the position where it starts, as the loaders walk it.
///
/// Positions are 1-based. For a quoted scalar the column is that of its opening quote; for a block
/// scalar (`|`, `>`) it is that of the indicator.
struct YAMLNode {
    let node: Node
    let line: Int
    let column: Int

    init(_ node: Node) {
        self.node = node
        self.line = node.mark?.line ?? 1
        self.column = node.mark?.column ?? 1
    }

    /// The scalar, when this node is one.
    var scalar: Node.Scalar? { node.scalar }

    /// The scalar's text exactly as written (without quotes), when this node is a scalar.
    var text: String? { node.scalar?.string }

    /// The type YAML resolves the node to: `int`, `float`, `bool`, `null`, `str`, `map`, `seq`, …
    var tagName: Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    /// Whether the node is an empty value or `null`/`~`.
    var isNull: Bool { tagName == .null }

    /// The pairs of a mapping, in the order written.
    var entries: [(key: YAMLNode, value: YAMLNode)]? {
        node.mapping.map { mapping in mapping.map { (key: YAMLNode($0.key), value: YAMLNode($0.value)) } }
    }

    /// The items of a list, in the order written.
    var items: [YAMLNode]? {
        node.sequence.map { sequence in sequence.map(YAMLNode.init) }
    }

    /// How a message names what was found: `"high"`, `7`, `true`, `nothing`, `a list`, `a mapping`.
    var found: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tagName {
            case .null: return "nothing"
            case .int, .float, .bool: return scalar.string
            default:
                let text = scalar.string.count > 40 ? scalar.string.prefix(40) + "…" : Substring(scalar.string)
                return "\"\(text)\""
            }
        }
    }
}
