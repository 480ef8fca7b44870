/// A customer, recognised across channels by any of their identities.
public struct Customer: Sendable, Hashable, Codable {
    public var id: String
    public var name: String?
    public var identities: [Identity]

    public init(id: String, name: String? = nil, identities: [Identity] = []) {
        self.id = id
        self.name = name
        self.identities = identities
    }
}
