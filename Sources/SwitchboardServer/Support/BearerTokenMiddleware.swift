import Foundation
import HTTPTypes
import Hummingbird

/// A request context that remembers who made the request, for audit trails.
protocol ActorRequestContext: RequestContext {
    /// `token:` and the first 12 hex digits of the SHA-256 of the caller's token: names the caller
    /// in an audit trail without revealing the token.
    var actor: String? { get set }
}

/// Requires `Authorization: Bearer <token>` with one of the configured tokens, and records the
/// caller's fingerprint as the context's actor.
/// Tokens are compared as SHA-256 digests (``AdminTokens``), so neither the content nor the length
/// of a token leaks through timing.
struct BearerTokenMiddleware<Context: ActorRequestContext>: RouterMiddleware {
    private let tokens: AdminTokens

    init(tokens: [String]) {
        self.tokens = AdminTokens(tokens)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                message: "missing bearer token: send Authorization: Bearer <admin token>")
        }
        guard let actor = tokens.actor(presenting: String(header.dropFirst("bearer ".count))) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "invalid bearer token")
        }
        var context = context
        context.actor = actor
        return try await next(request, context)
    }
}
