import Foundation
import Crypto
import HTTPTypes
import Hummingbird

/// A request context that remembers who made the request, for audit trails.
protocol ActorRequestContext: RequestContext {
    /// `token:` and the first 12 hex digits of the SHA-256 of the caller's token: names the caller
    /// in an audit trail without revealing the token.
    var actor: String? { get set }
}

/// What a bearer token may do.
enum TokenRole: Sendable {
    /// Read: GET requests, and the POSTs that change nothing (simulations, replays).
    case viewer
    /// Read and change everything.
    case admin
}

/// Requires `Authorization: Bearer <token>` with one of the configured tokens, and records the
/// caller's fingerprint as the context's actor. A viewer token may only make the requests `isRead`
/// accepts; anything else answers 403.
/// Tokens are compared as SHA-256 digests, whose equality is constant-time, so neither the
/// content nor the length of a token leaks through timing.
struct BearerTokenMiddleware<Context: ActorRequestContext>: RouterMiddleware {
    private let digests: [(SHA256.Digest, TokenRole)]
    private let isRead: @Sendable (Request) -> Bool

    /// - Parameter isRead: whether a request only reads; by default GET and HEAD.
    init(
        admin: [String], viewer: [String] = [],
        isRead: @escaping @Sendable (Request) -> Bool = { $0.method == .get || $0.method == .head }
    ) {
        self.digests =
            admin.filter { !$0.isEmpty }.map { (SHA256.hash(data: Array($0.utf8)), .admin) }
            + viewer.filter { !$0.isEmpty }.map { (SHA256.hash(data: Array($0.utf8)), .viewer) }
        self.isRead = isRead
    }

    /// The role of a token, comparing against every configured token whatever matches first.
    static func role(of presented: SHA256.Digest, among digests: [(SHA256.Digest, TokenRole)]) -> TokenRole? {
        var role: TokenRole?
        for (digest, candidate) in digests where digest == presented {
            // An admin token listed as a viewer token as well keeps its admin role.
            if role != .admin { role = candidate }
        }
        return role
    }

    /// `token:` and 12 hex digits of the token's SHA-256.
    static func fingerprint(_ digest: SHA256.Digest) -> String {
        "token:" + digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                message: "missing bearer token: send Authorization: Bearer <token>")
        }
        let presented = SHA256.hash(data: Array(header.dropFirst("bearer ".count).utf8))
        guard let role = Self.role(of: presented, among: digests) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "invalid bearer token")
        }
        guard role == .admin || isRead(request) else {
            throw HTTPError(.forbidden, message: "this token may only read: \(request.method) \(request.uri.path) needs an admin token")
        }
        var context = context
        context.actor = Self.fingerprint(presented)
        return try await next(request, context)
    }
}
