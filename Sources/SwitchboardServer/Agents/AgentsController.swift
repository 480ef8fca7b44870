import Foundation
import Hummingbird
import NetworkPolicy
import StandardWebhooks
import SwitchboardCore
import SwitchboardStore

/// `/v1/agents`: create or replace agents, list them with live load, set presence.
struct AgentsController {
    let store: any RoutingStore
    let dispatcher: Dispatcher
    /// Where desks may be: a desk URL whose host is, or resolves to, an address this refuses answers 422.
    var outbound = OutboundPolicy()

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: list)
        routes.put(":id", use: put)
        routes.post(":id/presence", use: presence)
        return routes
    }

    struct AgentList: ResponseEncodable, Sendable { var agents: [AgentView] }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> AgentList {
        AgentList(agents: try await store.agentSnapshots().map(AgentView.init))
    }

    @Sendable func put(request: Request, context: AppRequestContext) async throws -> AgentView {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(AgentBody.self, from: request, context: context)
        if let bodyId = body.id, bodyId != id {
            throw HTTPError(.unprocessableContent, message: "id in the body (\(bodyId)) differs from the path (\(id))")
        }
        let agent = body.agent(id: id)
        var problems = agent.problems
        if let desk = agent.desk, (try? WebhookSecret(desk.secret)) == nil {
            problems.append("desk secret is not a valid whsec_ secret")
        }
        if let desk = agent.desk, let host = OutboundPolicy.host(ofURL: desk.url),
            let refusal = await Self.resolvedRefusal(of: host, policy: outbound)
        {
            problems.append("desk url is refused: \(refusal)")
        }
        guard problems.isEmpty else {
            throw HTTPError(.unprocessableContent, message: "invalid agent \(id): " + problems.joined(separator: "; "))
        }
        try await dispatcher.upsertAgent(agent)
        let snapshot = try await store.agentSnapshots().first { $0.agent.id == id } ?? AgentSnapshot(agent: agent)
        return AgentView(snapshot)
    }

    struct PresenceBody: Decodable { var status: Presence }
    struct PresenceView: ResponseEncodable, Sendable {
        var id: String
        var status: Presence
    }

    @Sendable func presence(request: Request, context: AppRequestContext) async throws -> PresenceView {
        let id = try context.parameters.require("id")
        if let desk = context.access?.desk, !desk.agents.contains(id) {
            throw HTTPError(
                .forbidden,
                message: "desk token \(desk.tokenId) acts for \(desk.agents.sorted().joined(separator: ", ")): it may not set the presence of \(id)")
        }
        let body = try await JSONBody.decode(PresenceBody.self, from: request, context: context)
        do {
            try await dispatcher.setPresence(agentId: id, status: body.status, desk: context.access?.desk)
        } catch let refusal as RoutingRefusal {
            throw refusal.httpError
        }
        return PresenceView(id: id, status: body.status)
    }
}

extension AgentsController {
    /// Why `host` is refused, resolved on a thread of its own (name resolution blocks): the addresses it
    /// resolves to now; each connection checks the address it uses again (DNS may change).
    static func resolvedRefusal(of host: String, policy: OutboundPolicy) async -> String? {
        await withCheckedContinuation { (answer: CheckedContinuation<String?, Never>) in
            Thread.detachNewThread { answer.resume(returning: policy.refusal(resolving: host)) }
        }
    }
}

/// The body of `PUT /v1/agents/{id}`: the same fields as Config/agents.yaml, id optional.
struct AgentBody: Decodable {
    var id: String?
    var name: String?
    var status: Presence?
    var skills: [String: Int]?
    var authority: [String: AuthorityGrant]?
    var capacity: [String: Int]?
    var desk: Desk?
    var platformIds: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, name, status, skills, authority, capacity, desk
        case platformIds = "platform_ids"
    }

    func agent(id: String) -> Agent {
        Agent(
            id: id, name: name ?? id, status: status ?? .offline, skills: skills ?? [:], authority: authority ?? [:],
            capacity: capacity ?? [:], desk: desk, platformIds: platformIds ?? [:])
    }
}
