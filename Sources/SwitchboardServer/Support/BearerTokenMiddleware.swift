import Crypto
import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>` with one of the configured tokens.
/// Tokens are compared as SHA-256 digests, whose equality is constant-time, so neither the
/// content nor the length of a token leaks through timing.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let digests: [SHA256.Digest]

    init(tokens: [String]) {
        self.digests = tokens.filter { !$0.isEmpty }.map { SHA256.hash(data: Array($0.utf8)) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                message: "missing bearer token: send Authorization: Bearer <admin token>")
        }
        let presented = SHA256.hash(data: Array(header.dropFirst("bearer ".count).utf8))
        var matched = false
        for digest in digests {
            matched = (digest == presented) || matched
        }
        guard matched else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "invalid bearer token")
        }
        return try await next(request, context)
    }
}
