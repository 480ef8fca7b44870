import SwitchboardCore

/// How a mail source decides who an email is from and which conversation it continues.
///
/// `From:` is the sender's own claim. It joins the customer who owns that address only when the
/// message's evidence, as the receiving server recorded it (``SenderVerification``), shows that SPF,
/// DKIM or DMARC passed for a domain aligned with it; otherwise the email gets a customer of its own,
/// `source_user` `<source>:unverified:<address>`, which an agent may merge by hand, and the attribute
/// `sender` says `not verified: ...`. A source whose platform verifies upstream turns this off.
///
/// Threading follows the sender: the conversation is the thread's root message id *for this sender*
/// (`<address> <root>`, or `unverified <address> <root>`), so a `References:` naming someone else's
/// thread starts a conversation of the sender's own instead of joining, or reopening, theirs. A reply
/// from another address of the same customer starts a new conversation of that customer, with the
/// thread in its history.
public struct SenderPolicy: Sendable, Equatable {
    /// Whether `From:` must be verified before it joins a customer (`verify_senders`, on unless the
    /// platform verifies upstream).
    public var verify: Bool
    /// The receiving server's authserv-id (`authserv_id`): when set, only `Authentication-Results`
    /// fields it wrote are read, whatever the sender put above or below them, and `Received-SPF`
    /// (which names no server) is not. Without it the topmost fields are read, which is right only
    /// when the receiving server adds its own to every message.
    public var authservId: String?

    public init(verify: Bool = true, authservId: String? = nil) {
        self.verify = verify
        self.authservId = authservId
    }

    /// Who an email is from and the conversation it belongs to.
    public struct Sender: Sendable, Equatable {
        public var customer: CustomerInfo
        public var conversationId: String
        /// `verified: dkim=pass for example.com` or `not verified: ...`; nil when not checked.
        public var verdict: String?
    }

    /// The sender of an email from `address` (with display `name`) in the thread whose root id is
    /// `threadRoot`, given the values of its `Authentication-Results` and `Received-SPF` fields, topmost first.
    public func sender(
        address: String, name: String?, threadRoot: String, authenticationResults: [String], receivedSPF: [String]
    ) -> Sender {
        let address = address.trimmingCharacters(in: .whitespaces).lowercased()
        guard verify else {
            return Sender(
                customer: CustomerInfo(name: name, email: address), conversationId: "\(address) \(threadRoot)", verdict: nil)
        }
        let domain = SenderVerification.domain(address)
        let verification =
            if let authservId {
                SenderVerification.judge(
                    fromDomain: domain,
                    authenticationResults: authenticationResults.filter {
                        SenderVerification.authservId(of: $0) == authservId.lowercased()
                    },
                    receivedSPF: [])
            } else {
                SenderVerification.judge(
                    fromDomain: domain, authenticationResults: authenticationResults, receivedSPF: receivedSPF)
            }
        if verification.verified {
            return Sender(
                customer: CustomerInfo(name: name, email: address), conversationId: "\(address) \(threadRoot)",
                verdict: "verified: \(verification.evidence)")
        }
        return Sender(
            customer: CustomerInfo(externalId: "unverified:\(address)", name: name),
            conversationId: "unverified \(address) \(threadRoot)", verdict: "not verified: \(verification.evidence)")
    }
}
