/// Why a Matrix call failed, in words an admin can act on; the access token never appears.
public struct MatrixError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, or 0 when there was no answer.
    public var status: Int
    /// The Matrix error code (`M_UNKNOWN_TOKEN`, `M_FORBIDDEN`, ...), when the homeserver gave one.
    public var code: String?
    public var description: String

    public init(status: Int, code: String?, description: String) {
        self.status = status
        self.code = code
        self.description = description
    }

    /// The homeserver refused the credentials: a revoked or mistyped access token, a wrong password.
    public var isCredentialError: Bool {
        status == 401 || code == "M_UNKNOWN_TOKEN" || code == "M_MISSING_TOKEN"
    }
}
