import Curl
import Foundation
import Logging
import SwitchboardCore
import Testing

@testable import SwitchboardPolling

/// How `/sync` events become messages; the whole path runs against a real Synapse in the server tests.
@Suite("Matrix poller")
struct MatrixPollerTests {
    static let client = CurlClient()
    static let poller = MatrixPoller(
        source: "chat",
        client: MatrixClient(
            homeserver: "http://127.0.0.1:1/", user: "@switchboard:localhost", accessToken: "t", password: nil,
            client: client),
        logger: Logger(label: "test"))

    static func event(sender: String = "@carla:localhost", type: String = "m.room.message", body: String? = "hi")
        -> [String: Any]
    {
        var content: [String: Any] = ["msgtype": "m.text"]
        content["body"] = body
        return [
            "type": type, "sender": sender, "event_id": "$ev1", "origin_server_ts": 1_767_225_600_000,
            "content": content,
        ]
    }

    @Test("a customer's m.room.message is a message of the room's conversation")
    func message() throws {
        let message = try #require(Self.poller.message(from: Self.event(), room: "!room:localhost"))
        #expect(message.source == "chat")
        #expect(message.conversationId == "!room:localhost")
        #expect(message.channel == "chat")
        #expect(message.customer.externalId == "@carla:localhost")
        #expect(message.messageId == "$ev1")
        #expect(message.text == "hi")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(message.attributes["msgtype"] == .string("m.text"))
    }

    @Test("the bot's own events, other types and events without a body are not messages")
    func notMessages() {
        #expect(Self.poller.message(from: Self.event(sender: "@switchboard:localhost"), room: "!r:l") == nil)
        #expect(Self.poller.message(from: Self.event(type: "m.reaction"), room: "!r:l") == nil)
        #expect(Self.poller.message(from: Self.event(body: nil), room: "!r:l") == nil)
    }

    @Test("the homeserver base URL loses its trailing slash")
    func homeserver() {
        #expect(Self.poller.client.homeserver == "http://127.0.0.1:1")
    }

    @Test("an unreachable homeserver fails the poll with a curl error, not a crash")
    func unreachable() async {
        await #expect(throws: CurlError.self) { try await Self.poller.poll(cursor: nil) }
    }

    @Test("an invitation is accepted only from a user or for a room in join_from")
    func joinFrom() {
        let poller = MatrixPoller(
            source: "chat", client: Self.poller.client, joinFrom: ["@carla:localhost", "!support:localhost"],
            logger: Logger(label: "test"))
        func invite(from sender: String) -> [String: Any] {
            let member: [String: Any] = [
                "type": "m.room.member", "state_key": "@switchboard:localhost", "sender": sender,
                "content": ["membership": "invite"],
            ]
            let name: [String: Any] = ["type": "m.room.name", "state_key": "", "sender": "@mallory:localhost", "content": ["name": "x"]]
            return ["invite_state": ["events": [name, member]]]
        }
        #expect(MatrixPoller.inviter(of: invite(from: "@carla:localhost"), bot: "@switchboard:localhost") == "@carla:localhost")
        #expect(MatrixPoller.inviter(of: [:], bot: "@switchboard:localhost") == nil)
        #expect(poller.accepts(room: "!any:localhost", inviter: "@carla:localhost"))
        #expect(poller.accepts(room: "!support:localhost", inviter: "@mallory:localhost"))
        #expect(!poller.accepts(room: "!any:localhost", inviter: "@mallory:localhost"))
        #expect(!poller.accepts(room: "!any:localhost", inviter: nil))
        #expect(!Self.poller.accepts(room: "!any:localhost", inviter: "@carla:localhost"))  // join_from empty: none
    }
}
