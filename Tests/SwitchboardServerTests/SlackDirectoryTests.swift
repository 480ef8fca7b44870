import Curl
import Foundation
import Logging
import SwitchboardCore
import Testing

@testable import SwitchboardServer

/// The Slack user directory keeps a bounded number of users, however many write in.
@Suite("Slack directory")
struct SlackDirectoryTests {
    @Test("past its capacity the directory drops the users that lapse soonest, and still answers")
    func bounded() async throws {
        let slack = try await StandInAPI.start { call in
            let user = call.query?.replacingOccurrences(of: "user=", with: "") ?? ""
            return .init(status: .ok, json: #"{"ok":true,"user":{"id":"\#(user)","real_name":"User \#(user)","profile":{"email":"\#(user)@example.com"}}}"#)
        }
        let client = CurlClient()
        let directory = SlackDirectory(client: client, token: "xoxb-test", apiURL: slack.url, capacity: 8, logger: Logger(label: "test"))
        let start = Date()
        for number in 0..<30 {
            let message = InboundMessage(
                source: "sl", conversationId: "c\(number)", channel: "chat", customer: CustomerInfo(externalId: "U\(number)"),
                messageId: "m\(number)", text: "hi", sentAt: start)
            let enriched = await directory.enrich(message, now: start.addingTimeInterval(Double(number)))
            #expect(enriched.customer.email == "U\(number)@example.com")
            #expect(await directory.cachedCount <= 8)
        }
        client.shutdown()
        await slack.stop()
    }
}
