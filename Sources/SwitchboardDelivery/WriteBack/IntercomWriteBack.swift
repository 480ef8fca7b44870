import Curl

/// Intercom: an assignment part makes the agent (an admin) the conversation's assignee.
///
/// `POST {api_url}/conversations/{id}/parts` with `{"message_type": "assignment", "type": "admin",
/// "admin_id": "<acting admin>", "assignee_id": "<agent's admin id>"}`, all four required; ids are strings. Authenticated with the access token as a bearer token, and pinned to
/// API version ``version`` with the `Intercom-Version` header. Intercom answers 200 with the conversation.
/// The acting admin is `write_back.admin_id`, or else the agent themselves (they took it).
/// - <https://developers.intercom.com/docs/references/2.12/rest-api/api.intercom.io/conversations/manageconversation>
/// - <https://developers.intercom.com/docs/references/2.5/rest-api/conversations/assign-a-conversation> (fields)
enum IntercomWriteBack {
    /// The API version the body above is written for.
    static let version = "2.12"

    struct Body: Encodable {
        var messageType = "assignment"
        var type = "admin"
        var adminId: String
        var assigneeId: String
        enum CodingKeys: String, CodingKey {
            case messageType = "message_type"
            case type
            case adminId = "admin_id"
            case assigneeId = "assignee_id"
        }
    }

    static func call(_ target: WriteBackTarget, conversation: String, assignee: String) -> WriteBackTarget.HTTPCall {
        WriteBackTarget.HTTPCall(
            method: "POST", path: "/conversations/\(WriteBackTarget.segment(conversation))/parts",
            headers: [
                HTTPHeader("Authorization", "Bearer \(target.apiToken)"), HTTPHeader("Intercom-Version", version),
            ],
            body: WriteBackTarget.json(Body(adminId: target.adminId ?? assignee, assigneeId: assignee)))
    }
}
