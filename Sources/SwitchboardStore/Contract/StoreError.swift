/// Every error a store throws of its own (the database's errors pass through as they are).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownCustomer(String)
    /// The customer was merged into another one, which holds everything now.
    case mergedAway(String, into: String)
    case sameCustomer(String)
    case identityNotHeld(String, customer: String)
    /// Unmerging it would leave the customer with no identity.
    case onlyIdentity(String)
    /// A publication refused because another version was published since the change was prepared.
    case routeVersionConflict(expected: Int?, published: Int?)
    /// The database contradicts itself: a row the transaction relies on is missing.
    case inconsistent(String)
    /// The store cannot be opened as configured (a `storage.postgres` URL that cannot be read, a database
    /// that does not answer); the text names the setting.
    case configuration(String)
    /// The database cannot be used now (its connection closed mid-transaction); nothing was committed, and
    /// the work may be tried again.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unknownCustomer(let id): "unknown customer \"\(id)\""
        case .mergedAway(let id, let into): "customer \"\(id)\" was merged into \"\(into)\""
        case .sameCustomer(let id): "cannot merge customer \"\(id)\" into itself"
        case .identityNotHeld(let identity, let customer): "customer \"\(customer)\" has no identity \(identity)"
        case .onlyIdentity(let identity):
            "\(identity) is the customer's only identity; nothing would be left to recognise them by"
        case .routeVersionConflict(let expected, let published):
            "version \(published.map(String.init) ?? "none") is published now, not \(expected.map(String.init) ?? "none")"
        case .inconsistent(let text): text
        case .configuration(let text): text
        case .unavailable(let text): text
        }
    }
}
