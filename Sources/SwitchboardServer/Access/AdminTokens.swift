import Crypto
import Foundation

/// The configured admin tokens, kept as SHA-256 digests: a presented token is hashed and compared
/// with every digest, and digest equality is constant-time, so neither the content nor the length of
/// a token leaks through timing. The /admin page's sign-in accepts admin tokens only (not viewer tokens).
struct AdminTokens: Sendable {
    private let digests: [SHA256.Digest]

    init(_ tokens: [String]) {
        self.digests = tokens.filter { !$0.isEmpty }.map { SHA256.hash(data: Array($0.utf8)) }
    }

    /// The caller's fingerprint when `token` is one of the admin tokens, else nil.
    func actor(presenting token: String) -> String? {
        let presented = SHA256.hash(data: Array(token.utf8))
        var matched = false
        for digest in digests {
            matched = (digest == presented) || matched
        }
        // The same fingerprint as the API's, so the audit trail names a person alike on both.
        return matched ? BearerTokenMiddleware.fingerprint(presented) : nil
    }

    /// Whether two secrets are equal, compared as SHA-256 digests so that the time taken tells nothing
    /// about where they differ (CSRF tokens, the sign-in form's token).
    static func secretsMatch(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Array(a.utf8)) == SHA256.hash(data: Array(b.utf8))
    }
}
