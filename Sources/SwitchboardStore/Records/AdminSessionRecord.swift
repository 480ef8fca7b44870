import Foundation

/// A sign-in to the /admin page as stored: found by the SHA-256 of its id (the cookie's value, never kept).
public struct AdminSessionRecord: Sendable, Equatable {
    /// The SHA-256 of the session id, in lower-case hex.
    public var digest: String
    /// Who signed in (`token:` and 12 hex digits).
    public var actor: String
    /// The token every form of the session carries.
    public var csrfToken: String
    public var expiresAt: Date
    /// A message for the session's next page (`success` or `error`, and its text); nil for none.
    public var notice: Notice?

    public struct Notice: Sendable, Equatable {
        public var kind: String
        public var text: String

        public init(kind: String, text: String) {
            self.kind = kind
            self.text = text
        }
    }

    public init(digest: String, actor: String, csrfToken: String, expiresAt: Date, notice: Notice? = nil) {
        self.digest = digest
        self.actor = actor
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.notice = notice
    }
}
