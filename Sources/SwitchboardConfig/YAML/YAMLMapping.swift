/// A YAML mapping whose keys are text, checked against the keys allowed where it appears.
struct YAMLMapping {
    /// One `key: value` pair.
    struct Entry {
        let key: String
        let keyNode: YAMLNode
        let value: YAMLNode
    }

    /// The mapping itself, for locating problems about it as a whole (a missing key).
    let node: YAMLNode
    /// The pairs with known keys, in the order written.
    let entries: [Entry]

    /// The value under `key`, if given.
    subscript(key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.value
    }
}
