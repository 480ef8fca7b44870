/// One HTTP header field: a name and its value.
///
/// Names keep the spelling they were given; compare them case-insensitively
/// (``CurlResponse/header(_:)`` does).
public struct HTTPHeader: Sendable, Equatable {
    /// The field name, e.g. `Content-Type`.
    public var name: String
    /// The field value, without surrounding whitespace.
    public var value: String

    /// Creates a header field.
    /// - Parameters:
    ///   - name: The field name, e.g. `Content-Type`.
    ///   - value: The field value.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
