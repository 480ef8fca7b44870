/// Why an inbound body cannot become a message. Each case names the problem for the sender.
public enum PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, or not a JSON object.
    case malformed(String)
    /// A required field is absent or empty; the associated value is its dotted path.
    case missingField(String)
    /// A field is present with the wrong type or an unusable value.
    case invalidField(String, String)

    public var description: String {
        switch self {
        case .malformed(let detail): "malformed JSON body: \(detail)"
        case .missingField(let path): "missing required field: \(path)"
        case .invalidField(let path, let detail): "invalid field \(path): \(detail)"
        }
    }
}
