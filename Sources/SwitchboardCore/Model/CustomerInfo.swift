/// What a platform tells us about the customer who wrote a message.
public struct CustomerInfo: Sendable, Hashable, Codable {
    /// The customer's id at the source (e.g. the platform's user id).
    public var externalId: String?
    public var name: String?
    public var email: String?
    /// A phone number, ideally E.164.
    public var phone: String?

    public init(externalId: String? = nil, name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.externalId = externalId
        self.name = name
        self.email = email
        self.phone = phone
    }

    /// The identities this information proves (an email or phone that is not one is left out), scoped where they must be (a source's user id only means something at that source).
    public func identities(source: String) -> [Identity] {
        var result: [Identity] = []
        if let externalId, !externalId.isEmpty { result.append(Identity(kind: .sourceUser, value: "\(source):\(externalId)")) }
        if let identity = email.flatMap(Identity.email) { result.append(identity) }
        if let identity = phone.flatMap(Identity.phone) { result.append(identity) }
        return result
    }
}
