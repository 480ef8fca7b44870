import Curl
import Foundation

/// Zendesk Support: the ticket's assignee becomes the agent.
///
/// `PUT {api_url}/api/v2/tickets/{ticket_id}.json` with `{"ticket": {"assignee_id": 12345}}`, where the
/// assignee id is the agent's Zendesk user id (a number), authenticated with an API token as basic auth over
/// `{email}/token:{api_token}`. Zendesk answers 200 with the ticket.
/// - <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket>
/// - <https://developer.zendesk.com/api-reference/introduction/security-and-auth/> (API token)
enum ZendeskWriteBack {
    struct Body: Encodable {
        struct Ticket: Encodable {
            var assigneeId: Int64
            enum CodingKeys: String, CodingKey { case assigneeId = "assignee_id" }
        }
        var ticket: Ticket
    }

    static func call(
        _ target: WriteBackTarget, ticket: String, assignee: String
    ) throws(WriteBackRefusal) -> WriteBackTarget.HTTPCall {
        guard let userId = Int64(assignee), userId > 0 else {
            throw WriteBackRefusal("a Zendesk assignee must be a user id (a whole number), found \"\(assignee)\"")
        }
        let credentials = Data("\(target.email ?? "")/token:\(target.apiToken)".utf8).base64EncodedString()
        return WriteBackTarget.HTTPCall(
            method: "PUT", path: "/api/v2/tickets/\(WriteBackTarget.segment(ticket)).json",
            headers: [HTTPHeader("Authorization", "Basic \(credentials)")],
            body: WriteBackTarget.json(Body(ticket: .init(assigneeId: userId))))
    }
}
