/// One way of recognising a customer: an email address, a phone number, or a user id at one source.
public struct Identity: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case email
        case phone
        /// `source:id`, because ids from different sources are unrelated.
        case sourceUser = "source_user"
    }

    public var kind: Kind
    /// Normalised value: emails lower-cased, source ids prefixed by their source.
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind.rawValue):\(value)" }
}
