import Foundation
import Hummingbird
import NIOCore
import SwitchboardStore

/// `/v1/routes`: the published table and its versions, the draft, simulation, replay, publish and rollback.
struct RoutesController {
    let tables: RouteTables

    /// The largest YAML a draft takes.
    static let maxYAMLBytes = 1 << 20

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: published)
        routes.get("versions", use: versions)
        routes.get("versions/:version", use: version)
        routes.get("draft", use: draft)
        routes.put("draft", use: saveDraft)
        routes.delete("draft", use: discardDraft)
        routes.post("simulate", use: simulate)
        routes.post("draft/replay", use: replay)
        routes.post("draft/publish", use: publish)
        routes.post("rollback", use: rollback)
        return routes
    }

    @Sendable func published(request: Request, context: AppRequestContext) async throws -> RouteVersionView {
        let published = try await tables.published()
        return RouteVersionView(published, published: published.version)
    }

    @Sendable func versions(request: Request, context: AppRequestContext) async throws -> RouteVersionsView {
        try await tables.versions()
    }

    @Sendable func version(request: Request, context: AppRequestContext) async throws -> RouteVersionView {
        let text = try context.parameters.require("version")
        guard let number = Int(text), number > 0 else {
            throw HTTPError(.badRequest, message: "version must be a whole number from 1, found \"\(text)\"")
        }
        let record = try await tables.version(number)
        return RouteVersionView(record, published: try await tables.published().version)
    }

    @Sendable func draft(request: Request, context: AppRequestContext) async throws -> RouteDraftView {
        try await tables.draft()
    }

    /// The body is the YAML of one file of the table; `?file=` names it when the table has several. Answers
    /// 200 with the draft when it is valid and 422 with the draft and its problems when not: kept either way.
    @Sendable func saveDraft(request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxYAMLBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the YAML exceeds the limit of \(Self.maxYAMLBytes) bytes")
        }
        guard let yaml = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw HTTPError(.badRequest, message: "the body must be the table's YAML, in UTF-8")
        }
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HTTPError(.unprocessableContent, message: "the body is empty: send the table's YAML")
        }
        let draft = try await tables.saveDraft(
            yaml: yaml, file: request.uri.queryParameters["file"].map(String.init), actor: context.actor ?? "unknown")
        var response = try context.responseEncoder.encode(draft, from: request, context: context)
        response.status = draft.valid ? .ok : .unprocessableContent
        return response
    }

    @Sendable func discardDraft(request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        try await tables.discardDraft()
        return .noContent
    }

    /// The body is an inbound body of the source `?source=`; `?table=draft` runs the draft instead of the
    /// published table.
    @Sendable func simulate(request: Request, context: AppRequestContext) async throws -> RouteSimulation {
        let choiceText = request.uri.queryParameters["table"].map(String.init) ?? "published"
        guard let choice = TableChoice(rawValue: choiceText) else {
            throw HTTPError(.badRequest, message: "table must be published or draft, found \"\(choiceText)\"")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 1 << 20)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "body exceeds the limit of \(1 << 20) bytes")
        }
        return try await tables.simulate(
            body: Array(buffer.readableBytesView), sourceName: request.uri.queryParameters["source"].map(String.init),
            table: choice)
    }

    /// `{"last": 100}`: how many of the most recently started conversations to replay (default 100).
    struct ReplayBody: Decodable {
        var last: Int?
    }

    @Sendable func replay(request: Request, context: AppRequestContext) async throws -> ReplayReport {
        let body = try await JSONBody.decodeOptional(ReplayBody.self, from: request, context: context)
        return try await tables.replay(last: body?.last ?? 100)
    }

    @Sendable func publish(request: Request, context: AppRequestContext) async throws -> RouteVersionView {
        let version = try await tables.publish(actor: context.actor ?? "unknown")
        return RouteVersionView(version, published: version.version)
    }

    /// `{"version": 3}`.
    struct RollbackBody: Decodable {
        var version: Int
    }

    @Sendable func rollback(request: Request, context: AppRequestContext) async throws -> RouteVersionView {
        let body = try await JSONBody.decode(RollbackBody.self, from: request, context: context)
        let version = try await tables.rollback(to: body.version, actor: context.actor ?? "unknown")
        return RouteVersionView(version, published: version.version)
    }
}

/// `GET /v1/audit?limit=100`: who changed the routing tables, what and when, with the diff; newest first.
/// `GET /v1/audit/desks?limit=100`: what desk tokens did (accept, decline, resolve, transfer, presence).
struct AuditController {
    let tables: RouteTables
    let store: any RouteTableStore & AccessStore

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: list)
        routes.get("desks", use: desks)
        return routes
    }

    static func limit(_ request: Request) throws -> Int {
        let text = request.uri.queryParameters["limit"].map(String.init) ?? "100"
        guard let limit = Int(text), (1...1_000).contains(limit) else {
            throw HTTPError(.badRequest, message: "limit must be 1 to 1000, found \"\(text)\"")
        }
        return limit
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> RouteAuditView {
        try await tables.audit(limit: Self.limit(request))
    }

    struct DeskActionView: Encodable, Sendable {
        var at: Date
        var tokenId: String
        var agents: [String]
        var action: String
        var subject: String

        enum CodingKeys: String, CodingKey {
            case at, agents, action, subject
            case tokenId = "token_id"
        }
    }

    struct DeskActionList: ResponseEncodable, Sendable { var actions: [DeskActionView] }

    @Sendable func desks(request: Request, context: AppRequestContext) async throws -> DeskActionList {
        DeskActionList(
            actions: try await store.deskActions(limit: Self.limit(request)).map {
                DeskActionView(at: $0.at, tokenId: $0.tokenId, agents: $0.agents, action: $0.action, subject: $0.subject)
            })
    }
}
