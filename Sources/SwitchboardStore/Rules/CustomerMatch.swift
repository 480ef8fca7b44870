import SwitchboardCore

/// How a message's identities decide its customer: the rule both stores follow, given what they read.
///
/// Identities seen for the first time join that customer, so a chat that gives both a user id and
/// an email links the two. When the identities point at different customers, the source's user id
/// wins, then the email, then the phone; customers are never merged here. A new user id from a
/// source never joins a customer who already has another user id from that same source: they are
/// two people sharing an email (a team inbox, say), so it starts a customer of its own.
public struct CustomerMatch: Sendable {
    /// The identity kinds in the order they decide a customer: the source's own user id, then the
    /// email, then the phone.
    public static let precedence: [Identity.Kind] = [.sourceUser, .email, .phone]

    /// The message's identities.
    public let identities: [Identity]
    /// The customer holding each identity already known.
    public let owners: [Identity: String]

    /// - Parameter owners: what the store found for `CustomerMatch.identities(of:)`.
    public init(_ message: InboundMessage, owners: [Identity: String]) {
        self.identities = Self.identities(of: message)
        self.owners = owners
    }

    /// The identities a message carries, to be looked up.
    public static func identities(of message: InboundMessage) -> [Identity] {
        message.customer.identities(source: message.source)
    }

    /// The customer the known identities point at, by precedence.
    public var candidate: String? {
        Self.precedence.lazy.compactMap { kind in
            identities.first { $0.kind == kind }.flatMap { owners[$0] }
        }.first
    }

    /// The question the store must answer before the candidate stands: does this customer already have a
    /// user id from this source? Asked only for a new user id that would join a known customer.
    public var userCheck: (customerId: String, source: String)? {
        guard let user = identities.first(where: { $0.kind == .sourceUser }), owners[user] == nil,
            let candidate, let source = user.source
        else { return nil }
        return (candidate, source)
    }

    /// The customer the message belongs to; nil when it starts a new one.
    /// - Parameter candidateHasOtherUser: the answer to ``userCheck``, when it asked.
    public func customerId(candidateHasOtherUser: Bool) -> String? {
        userCheck != nil && candidateHasOtherUser ? nil : candidate
    }

    /// The identities seen for the first time: they join the customer.
    public var newIdentities: [Identity] { identities.filter { owners[$0] == nil } }

    /// The customer a store just created for this match, as reading it back would give it: the new identities
    /// in the stores' order (kind, then value, compared bytewise).
    public func createdCustomer(id: String, name: String?) -> Customer {
        let identities = newIdentities.sorted { a, b in
            a.kind == b.kind
                ? a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
                : a.kind.rawValue.utf8.lexicographicallyPrecedes(b.kind.rawValue.utf8)
        }
        return Customer(id: id, name: name, identities: identities)
    }

    /// The identity that recognises the conversation: the first by precedence.
    public var via: Identity? {
        Self.precedence.lazy.compactMap { kind in identities.first { $0.kind == kind } }.first
    }
}
