import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/v1/conversations`: read one, resolve it, and read back its routing decisions.
struct ConversationsController {
    let store: any ConversationStore
    let dispatcher: Dispatcher

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(":id", use: show)
        routes.post(":id/resolve", use: resolve)
        routes.post(":id/transfer", use: transfer)
        routes.get(":id/decisions", use: decisions)
        return routes
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> ConversationView {
        ConversationView(try await conversation(try context.parameters.require("id"), for: context))
    }

    /// The stored conversation; 404 when there is none, or when `context`, given, is a desk token's and the
    /// conversation is not its agents' (offered to them, held, or last held by them), so that others' are not
    /// revealed. Without a context (the answer after a change the caller was allowed to make) anyone's.
    private func conversation(_ id: String, for context: AppRequestContext? = nil) async throws -> Conversation {
        let agents = context?.deskAgents
        guard let found = try await store.conversation(id: id),
            agents.map({ agents in found.agentId.map(agents.contains) ?? false }) ?? true
        else { throw HTTPError(.notFound, message: "unknown conversation \"\(id)\"") }
        return found
    }

    /// `{"outcome": "refunded", "notes": "...", "follow_up": {"due": "2026-11-25T09:00:00Z", "what": "confirm the refund posted"}}`.
    struct ResolveBody: Decodable {
        var outcome: String
        var notes: String?
        var followUp: PromiseRequest?

        enum CodingKeys: String, CodingKey {
            case outcome, notes
            case followUp = "follow_up"
        }
    }

    @Sendable func resolve(request: Request, context: AppRequestContext) async throws -> ConversationView {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(ResolveBody.self, from: request, context: context)
        // An unknown conversation is named before the body's values are judged, and a promise never goes
        // to the store for a conversation it does not hold.
        _ = try await conversation(id, for: context)
        guard !body.outcome.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HTTPError(.unprocessableContent, message: "missing required field: outcome")
        }
        var promise = body.followUp
        if let asked = promise {
            let what = asked.what.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !what.isEmpty else { throw HTTPError(.unprocessableContent, message: "follow_up.what must say what was promised") }
            guard what.count <= PromiseRequest.maxLength else {
                throw HTTPError(
                    .unprocessableContent, message: "follow_up.what is \(what.count) characters; at most \(PromiseRequest.maxLength)")
            }
            guard asked.due > Date() else {
                throw HTTPError(.unprocessableContent, message: "follow_up.due must be in the future")
            }
            promise?.what = what
        }
        do {
            try await dispatcher.resolve(
                conversationId: id, outcome: body.outcome, notes: body.notes, promise: promise, desk: context.access?.desk)
        } catch let refusal as RoutingRefusal {
            throw refusal.httpError
        }
        var view = ConversationView(try await conversation(id))
        view.promises = try await store.unkeptPromises(conversationId: id)
        return view
    }

    /// `{"agent": "cy"}` or `{"requirements": {"skills": {"legal": 3}, "authority": {"refund_limit": 500}}}`,
    /// with optional `notes` for whoever takes it next.
    struct TransferBody: Decodable {
        struct RequirementsBody: Decodable {
            var skills: [String: Int]?
            var authority: [String: AuthorityGrant]?
        }
        var agent: String?
        var requirements: RequirementsBody?
        var notes: String?
    }

    struct TransferView: ResponseEncodable, Sendable {
        var conversation: ConversationView
        var handoffId: String?
        var agentId: String?

        enum CodingKeys: String, CodingKey {
            case conversation
            case handoffId = "handoff_id"
            case agentId = "agent_id"
        }
    }

    @Sendable func transfer(request: Request, context: AppRequestContext) async throws -> TransferView {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(TransferBody.self, from: request, context: context)
        let target: TransferTarget
        switch (body.agent, body.requirements) {
        case (let agent?, nil):
            target = .agent(agent)
        case (nil, let asked?):
            let skills = asked.skills ?? [:]
            if let bad = skills.first(where: { !(1...5).contains($0.value) }) {
                throw HTTPError(.unprocessableContent, message: "skill level for \(bad.key) must be 1 to 5, found \(bad.value)")
            }
            var authority: [String: AuthorityRequirement] = [:]
            for (key, grant) in asked.authority ?? [:] {
                switch grant {
                case .limit(let value): authority[key] = .atLeast(value)
                case .permission(true): authority[key] = .permission
                case .permission(false): break
                }
            }
            guard !skills.isEmpty || !authority.isEmpty else {
                throw HTTPError(.unprocessableContent, message: "requirements must name at least one skill or authority")
            }
            target = .requirements(Requirements(skills: skills, authority: authority))
        default:
            throw HTTPError(.unprocessableContent, message: "name either agent or requirements, not both and not neither")
        }
        let current = try await conversation(id, for: context)
        let note = body.notes.flatMap { text in
            text.isEmpty ? nil : AgentNote(agentId: current.agentId ?? "", at: Date(), text: text)
        }
        let offer: Offer?
        do {
            offer = try await dispatcher.transfer(conversationId: id, to: target, note: note, desk: context.access?.desk)
        } catch let refusal as RoutingRefusal {
            throw refusal.httpError
        }
        return TransferView(
            conversation: ConversationView(try await conversation(id)), handoffId: offer?.handoffId,
            agentId: offer?.agentId)
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
        _ = try await conversation(id, for: context)
        return DecisionList(conversationId: id, decisions: try await store.decisions(conversationId: id))
    }
}

/// A conversation as the API shows it.
struct ConversationView: ResponseEncodable, Sendable {
    var conversation: Conversation
    /// On resolve: the promise made, if any.
    var promises: [Promise]?
    init(_ conversation: Conversation) { self.conversation = conversation }

    enum CodingKeys: String, CodingKey {
        case id, source, channel, status, transfers, attributes, outcome, notes, promises
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
        try c.encodeIfPresent(promises, forKey: .promises)
    }
}
