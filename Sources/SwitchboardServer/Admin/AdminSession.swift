import Foundation

/// One sign-in to the /admin page.
struct AdminSession: Sendable {
    /// Who signed in, as the audit trail names them (`token:` and 12 hex digits).
    let actor: String
    /// The token every form of this session carries in its hidden `csrf` field.
    let csrfToken: String
    /// When the session stops being accepted.
    let expiresAt: Date
    /// A message for the next page shown, then dropped ("Published version 3").
    var notice: AdminNotice?
}

/// A one-time message shown at the top of the next page.
struct AdminNotice: Sendable, Equatable {
    enum Kind: String, Sendable {
        case success
        case error
    }

    var kind: Kind
    var text: String
}

/// Random identifiers for sessions and form tokens.
enum SessionSecret {
    /// 256 bits from the system's generator as 64 lowercase hex digits.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
