import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardConfig
import SwitchboardConnectors
import SwitchboardStore

/// Requires `Authorization: Bearer <token>` with an admin, viewer or desk token, records who called
/// (``AppRequestContext/actor``, ``AppRequestContext/access``) and refuses, with 403 naming the missing
/// permission, a call the token's role does not allow (``Permission``). Whether a desk token's call
/// concerns its own agents is for the handler to judge: it alone knows whose handoff or conversation it is.
///
/// Admin and viewer tokens are compared as SHA-256 digests, whose equality is constant-time, so neither
/// the content nor the length of a token leaks through timing; a desk token is found by its digest, which
/// tells nothing of the token either: first among the agents file's, then in the store (tokens created
/// through the API), read on every call so that a revocation on any instance takes effect at once.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    private let digests: [(SHA256.Digest, Access)]
    private let desks: [String: DeskGrant]
    private let store: (any AccessStore)?
    private let throttle: AuthThrottle?

    init(
        admin: [String], viewer: [String] = [], desks: [DeskTokenSettings] = [], store: (any AccessStore)? = nil,
        throttle: AuthThrottle? = nil
    ) {
        self.store = store
        self.throttle = throttle
        self.digests =
            admin.filter { !$0.isEmpty }.map { (SHA256.hash(data: Array($0.utf8)), Access.admin) }
            + viewer.filter { !$0.isEmpty }.map { (SHA256.hash(data: Array($0.utf8)), Access.viewer) }
        var grants: [String: DeskGrant] = [:]
        for token in desks { grants[token.digest] = DeskGrant(tokenId: token.id, agents: Set(token.agents)) }
        self.desks = grants
    }

    /// The role of an admin or viewer token, comparing against every configured token whatever matches first.
    static func role(of presented: SHA256.Digest, among digests: [(SHA256.Digest, Access)]) -> Access? {
        var role: Access?
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

    /// Who presents `token`, and the actor an audit trail names; nil for an unknown token.
    func access(presenting token: String, now: Date = Date()) async throws -> (Access, actor: String)? {
        let presented = SHA256.hash(data: Array(token.utf8))
        if let role = Self.role(of: presented, among: digests) { return (role, Self.fingerprint(presented)) }
        let hex = Signature.hex(Array(presented))
        if let grant = desks[hex] { return (.desk(grant), grant.actor) }
        if let stored = try await store?.useDeskToken(digest: hex, now: now) {
            let grant = DeskGrant(tokenId: stored.id, agents: Set(stored.agents))
            return (.desk(grant), grant.actor)
        }
        return nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                message: "missing bearer token: send Authorization: Bearer <token>")
        }
        let token = String(header.dropFirst("bearer ".count))
        let keys = AuthThrottle.keys(address: context.clientAddress, presented: token)
        try throttle?.check(keys, kind: "bearer")
        guard let (access, actor) = try await access(presenting: token) else {
            try await throttle?.failed(keys, kind: "bearer")
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "invalid bearer token")
        }
        let permission = Permission.required(method: request.method, path: request.uri.path)
        guard access.holds(permission) else {
            throw HTTPError(.forbidden, message: Self.refusal(access, permission, request))
        }
        var context = context
        context.actor = actor
        context.access = access
        return try await next(request, context)
    }

    /// Why `access` may not make `request`: the permission it lacks, and what the token may do instead.
    static func refusal(_ access: Access, _ permission: Permission, _ request: Request) -> String {
        let call = "\(request.method) \(request.uri.path)"
        switch access {
        case .admin: return "\(call) needs the \(permission.rawValue) permission"
        case .viewer:
            return "this token may only read: \(call) needs the \(permission.rawValue) permission, which only an admin token has"
        case .desk(let grant):
            return "desk token \(grant.tokenId) may not \(call): it needs the \(permission.rawValue) permission; a desk token answers its agents' offers, reads and works their conversations, reads those customers and sets their presence"
        }
    }
}
