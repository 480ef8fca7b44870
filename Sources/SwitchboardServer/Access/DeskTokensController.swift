import Foundation
import Hummingbird
import StandardWebhooks
import SwitchboardConfig
import SwitchboardStore

/// `/v1/desk-tokens`: desk tokens created, listed and revoked by an admin (``DeskTokenIssuer``). A new token
/// is shown once, in the answer that creates it; the store keeps its SHA-256 only. Each desk (a set of
/// agents) holds at most two working tokens at once: the one in use and its replacement, so that rotating
/// needs no downtime.
struct DeskTokensController {
    let issuer: DeskTokenIssuer

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: list)
        routes.post(use: create)
        routes.delete(":id", use: revoke)
        return routes
    }

    /// `{"agents": ["ana"], "label": "ana's laptop"}`.
    struct CreateBody: Decodable {
        var agents: [String]
        var label: String?
    }

    /// A token as the API shows it: never the token (but once, on creation) nor its digest.
    struct TokenView: ResponseEncodable, Sendable {
        var id: String
        var token: String?
        var agents: [String]
        var label: String?
        /// `api` (created here) or `agents file`.
        var origin: String
        var createdAt: Date?
        var createdBy: String?
        var lastUsedAt: Date?
        var revokedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, token, agents, label, origin
            case createdAt = "created_at"
            case createdBy = "created_by"
            case lastUsedAt = "last_used_at"
            case revokedAt = "revoked_at"
        }

        init(_ record: DeskTokenRecord, token: String? = nil) {
            id = record.id
            self.token = token
            agents = record.agents
            label = record.label
            origin = "api"
            createdAt = record.createdAt
            createdBy = record.createdBy
            lastUsedAt = record.lastUsedAt
            revokedAt = record.revokedAt
        }

        init(_ declared: DeskTokenSettings) {
            id = declared.id
            agents = declared.agents.sorted()
            origin = "agents file"
        }
    }

    struct TokenList: ResponseEncodable, Sendable { var tokens: [TokenView] }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> TokenList {
        TokenList(tokens: issuer.declared.map(TokenView.init) + (try await issuer.store.deskTokens()).map { TokenView($0) })
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> EditedResponse<TokenView> {
        let body = try await JSONBody.decode(CreateBody.self, from: request, context: context)
        let (record, token) = try await issuer.issue(agents: body.agents, label: body.label, actor: context.actor ?? "unknown")
        return EditedResponse(status: .created, response: TokenView(record, token: token))
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> TokenView {
        TokenView(try await issuer.revoke(id: try context.parameters.require("id")))
    }
}

/// Creating and revoking desk tokens, for the API and the admin page alike. Refusals are ``HTTPError``s
/// whose message names the problem.
struct DeskTokenIssuer: Sendable {
    let store: any AccessStore & RoutingStore
    /// The tokens the agents file declares: never revoked here.
    let declared: [DeskTokenSettings]

    /// Working tokens a desk may hold at once.
    static let maximumLive = 2
    /// The longest label.
    static let maximumLabel = 100

    /// A new token for the desk of `agents`: the record stored (by digest) and the token, to show once.
    func issue(agents asked: [String], label: String?, actor: String) async throws -> (DeskTokenRecord, String) {
        let agents = Array(Set(asked)).sorted()
        guard !agents.isEmpty else {
            throw HTTPError(.unprocessableContent, message: "agents must name at least one agent the token acts for")
        }
        let known = Set(try await store.agentSnapshots().map(\.agent.id))
        if let unknown = agents.first(where: { !known.contains($0) }) {
            throw HTTPError(.notFound, message: "unknown agent \"\(unknown)\" in agents")
        }
        let label = label?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard label.count <= Self.maximumLabel else {
            throw HTTPError(.unprocessableContent, message: "label is \(label.count) characters; at most \(Self.maximumLabel)")
        }
        let live = try await store.deskTokens().filter { $0.revokedAt == nil && $0.agents == agents }
        guard live.count < Self.maximumLive else {
            throw HTTPError(
                .conflict,
                message: "the desk of \(agents.joined(separator: ", ")) already has \(live.count) working tokens (\(live.map(\.id).joined(separator: ", "))): revoke one first")
        }
        let token = "sbd_" + WebhookSecret.generate().tokenValue
        let record = DeskTokenRecord(
            id: "dt_" + SessionSecret.make().prefix(16), digest: DeskTokenSettings.digest(token: token), agents: agents,
            label: label, createdAt: Date(), createdBy: actor)
        try await store.addDeskToken(record)
        return (record, token)
    }

    /// Revokes a token created through the API; 404 for an unknown one, 409 for one of the agents file.
    func revoke(id: String) async throws -> DeskTokenRecord {
        if declared.contains(where: { $0.id == id }) {
            throw HTTPError(
                .conflict, message: "desk token \(id) is declared in the agents file: remove it there and restart to revoke it")
        }
        guard let record = try await store.revokeDeskToken(id: id, now: Date()) else {
            throw HTTPError(.notFound, message: "unknown desk token \"\(id)\"")
        }
        return record
    }
}
