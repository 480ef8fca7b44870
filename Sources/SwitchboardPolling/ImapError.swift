import Curl

/// Why an IMAP poll failed, worded for the log line that names the source.
public enum ImapError: Error, Sendable, CustomStringConvertible {
    /// The server refused the login.
    case authenticationFailed(user: String, server: String)
    /// The server answered STATUS without a UIDVALIDITY (or the mailbox does not exist).
    case noUIDValidity(mailbox: String, server: String)
    /// A transfer failed: connection, TLS, timeout, a command the server refused.
    case transfer(CurlError, during: String)

    public var description: String {
        switch self {
        case .authenticationFailed(let user, let server):
            "IMAP authentication failed for user \"\(user)\" at \(server): check the source's username and password"
        case .noUIDValidity(let mailbox, let server):
            "IMAP mailbox \"\(mailbox)\" at \(server) gave no UIDVALIDITY: does it exist?"
        case .transfer(let error, let during):
            "IMAP \(during) failed: \(error)"
        }
    }
}
