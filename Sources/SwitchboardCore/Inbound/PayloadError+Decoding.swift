/// One reading of Foundation's decoding errors for every JSON body Switchboard takes, so that the
/// sender always hears the same words: which field, and what was wrong with it.
extension PayloadError {
    public init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            self =
                context.codingPath.isEmpty
                ? .malformed("the body must be a JSON object")
                : .invalidField(path(context.codingPath), "expected \(Self.typeName(type))")
        case .valueNotFound(_, let context):
            self = .missingField(path(context.codingPath))
        case .keyNotFound(let key, let context):
            self = .missingField(path(context.codingPath + [key]))
        case .dataCorrupted(let context):
            self =
                context.codingPath.isEmpty
                ? .malformed(context.debugDescription)
                : .invalidField(path(context.codingPath), context.debugDescription)
        @unknown default:
            self = .malformed("\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is Int.Type, is Int?.Type, is Double.Type, is Double?.Type: "a number"
        case is Bool.Type, is Bool?.Type: "true or false"
        case is any Collection.Type: "a list or an object"
        default: "a value of another type"
        }
    }
}
