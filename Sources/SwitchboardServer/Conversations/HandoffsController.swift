import Foundation
import Hummingbird
import SwitchboardCore

/// `/v1/handoffs`: the agent's answer to an offer. Accepting starts the work; declining (or not
/// answering within the route's `offer_timeout`) sends the conversation straight to the next best agent.
struct HandoffsController {
    let dispatcher: Dispatcher

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post(":id/accept", use: accept)
        routes.post(":id/decline", use: decline)
        return routes
    }

    struct Answer: ResponseEncodable, Sendable {
        var handoffId: String
        var status: String

        enum CodingKeys: String, CodingKey {
            case status
            case handoffId = "handoff_id"
        }
    }

    @Sendable func accept(request: Request, context: AppRequestContext) async throws -> Answer {
        let id = try context.parameters.require("id")
        do {
            try await dispatcher.accept(handoffId: id, desk: context.access?.desk)
        } catch let refusal as RoutingRefusal {
            throw refusal.httpError
        }
        return Answer(handoffId: id, status: "accepted")
    }

    struct DeclineBody: Decodable {
        var reason: String?
    }

    @Sendable func decline(request: Request, context: AppRequestContext) async throws -> Answer {
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(DeclineBody.self, from: request, context: context)
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else {
            throw HTTPError(.unprocessableContent, message: "missing required field: reason")
        }
        do {
            try await dispatcher.decline(handoffId: id, reason: reason, desk: context.access?.desk)
        } catch let refusal as RoutingRefusal {
            throw refusal.httpError
        }
        return Answer(handoffId: id, status: "declined")
    }
}
