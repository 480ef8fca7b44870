import Foundation
import Logging
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardStore

/// Long-polls a Matrix account's `/sync` and turns room messages into inbound messages.
///
/// - The cursor is the `next_batch` token; the first poll has none and takes the recent timeline of every room
///   the bot is in (the homeserver's initial sync), so messages sent while Switchboard was never running are
///   taken once. Later polls take what came after.
/// - Each room is one conversation: the room id is the conversation id, the channel is `chat`.
/// - `m.room.message` events from anyone but the bot are messages: the sender is the customer
///   (`CustomerInfo(externalId: sender)`), the event id is the message id and the idempotency key, the
///   `origin_server_ts` the time sent, `content.body` the text.
/// - The bot joins the rooms it is invited to during the poll, when the room or the user who invited it is in
///   the source's `join_from` (an invitation from anyone else is logged and left); their messages arrive with the next sync
///   (including the ones sent before the join, which the room's history shows the bot).
///   A join the homeserver refuses for good (403, 404) is logged and skipped; any other failure fails the
///   poll so that the invitation is seen again.
public struct MatrixPoller: Poller {
    let source: String
    let client: MatrixClient
    /// How long the homeserver may hold a sync open when there is nothing new.
    let longPoll: Duration
    let logger: Logger
    /// The users whose invitations, and the rooms whose, the bot accepts.
    let joinFrom: Set<String>

    public init(
        source: String, client: MatrixClient, longPoll: Duration = .seconds(25), joinFrom: Set<String> = [],
        logger: Logger
    ) {
        self.source = source
        self.client = client
        self.longPoll = longPoll
        self.joinFrom = joinFrom
        self.logger = logger
    }

    /// Only what Switchboard reads: timelines of `m.room.message` (invitations come regardless).
    static let filter =
        #"{"presence":{"not_types":["*"]},"account_data":{"not_types":["*"]},"room":{"timeline":{"types":["m.room.message"],"limit":50},"ephemeral":{"not_types":["*"]},"account_data":{"not_types":["*"]}}}"#

    public func poll(cursor: String?) async throws -> PollBatch {
        let response = try await client.sync(since: cursor, timeout: longPoll, filter: Self.filter)
        guard let next = response["next_batch"] as? String else {
            throw MatrixError(status: 200, code: nil, description: "sync answered without next_batch")
        }
        let rooms = response["rooms"] as? [String: Any] ?? [:]
        for (room, invite) in (rooms["invite"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let inviter = Self.inviter(of: invite as? [String: Any] ?? [:], bot: client.user)
            guard accepts(room: room, inviter: inviter) else {
                logger.notice(
                    "matrix invitation not accepted: neither the room nor its inviter is in join_from",
                    metadata: ["source": "\(source)", "room": "\(room)", "inviter": "\(inviter ?? "unknown")"])
                continue
            }
            try await join(room)
        }
        let now = Date()
        var messages: [InboundMessage] = []
        for (room, value) in (rooms["join"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let timeline = (value as? [String: Any])?["timeline"] as? [String: Any]
            for event in timeline?["events"] as? [[String: Any]] ?? [] {
                if let message = message(from: event, room: room) { messages.append(message) }
            }
        }
        let events = messages.map {
            InboundEvent(
                source: source, kind: "matrix", webhookId: $0.messageId, receivedAt: now,
                body: PolledConnector.body(of: $0))
        }
        let lag = messages.map(\.sentAt).max().map { Duration.milliseconds(Int64(max(0, now.timeIntervalSince($0)) * 1000)) }
        return PollBatch(events: events, cursor: next, lag: lag)
    }

    /// Whether the bot joins `room` on an invitation from `inviter`: either is in `join_from`.
    func accepts(room: String, inviter: String?) -> Bool {
        joinFrom.contains(room) || inviter.map(joinFrom.contains) == true
    }

    /// Who invited `bot`, from an invited room's `invite_state`: the sender of its membership event.
    static func inviter(of invite: [String: Any], bot: String) -> String? {
        let events = (invite["invite_state"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
        let membership = events.first {
            $0["type"] as? String == "m.room.member" && $0["state_key"] as? String == bot
                && ($0["content"] as? [String: Any])?["membership"] as? String == "invite"
        }
        return membership?["sender"] as? String
    }

    /// The message an event is, or nil for the bot's own events, other types and events without text.
    func message(from event: [String: Any], room: String) -> InboundMessage? {
        guard event["type"] as? String == "m.room.message", let sender = event["sender"] as? String,
            sender != client.user, let id = event["event_id"] as? String,
            let content = event["content"] as? [String: Any], let text = content["body"] as? String
        else { return nil }
        let millis = (event["origin_server_ts"] as? NSNumber)?.doubleValue ?? Date().timeIntervalSince1970 * 1000
        var attributes: [String: Value] = [:]
        if let type = content["msgtype"] as? String { attributes["msgtype"] = .string(type) }
        return InboundMessage(
            source: source, conversationId: room, channel: "chat", customer: CustomerInfo(externalId: sender),
            messageId: id, text: text, sentAt: Date(timeIntervalSince1970: millis / 1000), attributes: attributes)
    }

    private func join(_ room: String) async throws {
        do {
            try await client.join(room: room)
            logger.info("joined matrix room on invitation", metadata: ["source": "\(source)", "room": "\(room)"])
        } catch let error as MatrixError where [403, 404].contains(error.status) {
            logger.warning(
                "could not join matrix room; invitation skipped",
                metadata: ["source": "\(source)", "room": "\(room)", "error": "\(error)"])
        }
    }
}
