import Curl

/// Front: the conversation's assignee becomes the agent (a teammate, `tea_...`).
///
/// `PUT {api_url}/conversations/{conversation_id}/assignee` with `{"assignee_id": "tea_..."}`, authenticated
/// with the API token as a bearer token (scope `conversations:write`). Front answers 204 No Content.
/// - <https://dev.frontapp.com/reference/update-conversation-assignee>
/// - <https://raw.githubusercontent.com/frontapp/front-api-specs/main/core-api/core-api.json> (the OpenAPI spec)
enum FrontWriteBack {
    struct Body: Encodable {
        var assigneeId: String
        enum CodingKeys: String, CodingKey { case assigneeId = "assignee_id" }
    }

    static func call(_ target: WriteBackTarget, conversation: String, assignee: String) -> WriteBackTarget.HTTPCall {
        WriteBackTarget.HTTPCall(
            method: "PUT", path: "/conversations/\(WriteBackTarget.segment(conversation))/assignee",
            headers: [HTTPHeader("Authorization", "Bearer \(target.apiToken)")],
            body: WriteBackTarget.json(Body(assigneeId: assignee)))
    }
}
