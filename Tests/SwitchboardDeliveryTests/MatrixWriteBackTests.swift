import Curl
import Foundation
import Testing

@testable import SwitchboardDelivery

/// The Matrix notice as the client-server API documents `PUT /rooms/{roomId}/send/{eventType}/{txnId}`.
@Suite("Matrix write-back")
struct MatrixWriteBackTests {
    @Test("the notice names the agent and their team, or the agent alone")
    func notice() {
        #expect(MatrixWriteBack.notice(agentName: "Ana Ruiz", team: "billing") == "Ana Ruiz from billing has your conversation")
        #expect(MatrixWriteBack.notice(agentName: "Ana Ruiz", team: nil) == "Ana Ruiz has your conversation")
    }

    @Test("an m.notice PUT into the room, the write-back id as transaction id, the token from the provider")
    func request() async throws {
        let target = WriteBackTarget(
            platform: .matrix, apiURL: "http://127.0.0.1:8008", apiToken: "", accessToken: { "syt_token" })
        let request = try await target.noticeRequest(
            room: "!abc:localhost", transaction: "wb_1", text: "Ana Ruiz has your conversation", timeout: .seconds(5))
        #expect(request.method == "PUT")
        #expect(request.url == "http://127.0.0.1:8008/_matrix/client/v3/rooms/%21abc%3Alocalhost/send/m.room.message/wb_1")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer syt_token" })
        let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String]
        #expect(body == ["msgtype": "m.notice", "body": "Ana Ruiz has your conversation"])
        #expect(throws: WriteBackRefusal.self) {
            try target.request(conversation: "!abc:localhost", assignee: "x", timeout: .seconds(5))
        }
    }
}
