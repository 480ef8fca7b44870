import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/v1/conversations`: read one, resolve it, and read back its routing decisions.
struct ConversationsController {
    let store: any Store
    let signals: RoutingSignals

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(":id", use: show)
        routes.post(":id/resolve", use: resolve)
        routes.get(":id/decisions", use: decisions)
        return routes
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> ConversationView {
        let id = try context.parameters.require("id")
        guard let conversation = try await store.conversation(id: id) else {
            throw HTTPError(.notFound, message: "unknown conversation \"\(id)\"")
        }
        return ConversationView(conversation)
    }

    struct ResolveBody: Decodable {
        var outcome: String
        var notes: String?
    }

    @Sendable func resolve(request: Request, context: AppRequestContext) async throws -> ConversationView {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(ResolveBody.self, from: request, context: context)
        guard !body.outcome.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HTTPError(.unprocessableContent, message: "missing required field: outcome")
        }
        switch try await store.resolve(conversationId: id, outcome: body.outcome, notes: body.notes, at: Date()) {
        case .resolved(let conversation):
            signals.requestDispatch()
            return ConversationView(conversation)
        case .notFound:
            throw HTTPError(.notFound, message: "unknown conversation \"\(id)\"")
        case .notAssigned(let status):
            throw HTTPError(.conflict, message: "conversation \(id) is \(status.rawValue), not assigned to an agent")
        }
    }

    struct DecisionList: ResponseEncodable, Sendable {
        var conversationId: String
        var decisions: [Decision]

        enum CodingKeys: String, CodingKey {
            case decisions
            case conversationId = "conversation_id"
        }
    }

    @Sendable func decisions(request: Request, context: AppRequestContext) async throws -> DecisionList {
        let id = try context.parameters.require("id")
        guard try await store.conversation(id: id) != nil else {
            throw HTTPError(.notFound, message: "unknown conversation \"\(id)\"")
        }
        return DecisionList(conversationId: id, decisions: try await store.decisions(conversationId: id))
    }
}

/// A conversation as the API shows it.
struct ConversationView: ResponseEncodable, Sendable {
    var conversation: Conversation
    init(_ conversation: Conversation) { self.conversation = conversation }

    enum CodingKeys: String, CodingKey {
        case id, source, channel, status, transfers, attributes, outcome, notes
        case externalId = "external_id"
        case customerId = "customer_id"
        case startedAt = "started_at"
        case agentId = "agent_id"
        case handoffId = "handoff_id"
        case waitingSince = "waiting_since"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(conversation.id, forKey: .id)
        try c.encode(conversation.source, forKey: .source)
        try c.encode(conversation.externalId, forKey: .externalId)
        try c.encode(conversation.channel, forKey: .channel)
        try c.encode(conversation.customerId, forKey: .customerId)
        try c.encode(conversation.startedAt, forKey: .startedAt)
        try c.encode(conversation.status, forKey: .status)
        try c.encodeIfPresent(conversation.agentId, forKey: .agentId)
        try c.encodeIfPresent(conversation.handoffId, forKey: .handoffId)
        try c.encodeIfPresent(conversation.waitingSince, forKey: .waitingSince)
        try c.encode(conversation.transfers, forKey: .transfers)
        try c.encode(conversation.attributes, forKey: .attributes)
        try c.encodeIfPresent(conversation.outcome, forKey: .outcome)
        try c.encodeIfPresent(conversation.notes, forKey: .notes)
    }
}
