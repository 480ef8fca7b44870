import Curl

/// Matrix: the bot posts one short notice into the room naming the agent who took it, e.g. "Ana Ruiz from billing
/// has your conversation".
///
/// `PUT {homeserver}/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{txn_id}` with
/// `{"msgtype": "m.notice", "body": "..."}`, authenticated with the bot's access token as a bearer token. The
/// transaction id is the write-back's id, so a retry after a lost answer posts nothing twice. The homeserver
/// answers 200 with the event id. No platform id is needed: the notice names the agent by name.
/// - <https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid>
/// - <https://spec.matrix.org/v1.11/client-server-api/#mnotice>
enum MatrixWriteBack {
    struct Body: Encodable {
        var msgtype = "m.notice"
        var body: String
    }

    /// "Ana Ruiz from billing has your conversation", or without "from ..." when there is no team.
    static func notice(agentName: String, team: String?) -> String {
        guard let team, !team.isEmpty else { return "\(agentName) has your conversation" }
        return "\(agentName) from \(team) has your conversation"
    }

    static func call(_ target: WriteBackTarget, room: String, transaction: String, text: String)
        -> WriteBackTarget.HTTPCall
    {
        WriteBackTarget.HTTPCall(
            method: "PUT",
            path:
                "/_matrix/client/v3/rooms/\(WriteBackTarget.segment(room))/send/m.room.message/\(WriteBackTarget.segment(transaction))",
            headers: [HTTPHeader("Authorization", "Bearer \(target.apiToken)")],
            body: WriteBackTarget.json(Body(body: text)))
    }
}
