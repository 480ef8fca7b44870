import Curl
import Foundation
import Testing

@testable import SwitchboardDelivery

/// The request each platform's write-back sends, built without any I/O.
@Suite("Write-back requests")
struct WriteBackRequestTests {
    static let zendesk = WriteBackTarget(
        platform: .zendesk, apiURL: "https://acme.zendesk.com", email: "ops@acme.com", apiToken: "zd-secret-token")
    static let intercom = WriteBackTarget(platform: .intercom, apiURL: "https://api.intercom.io", apiToken: "ic-token")
    static let front = WriteBackTarget(platform: .front, apiURL: "https://api2.frontapp.com", apiToken: "fr-token")

    static func json(_ request: CurlRequest) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    static func header(_ request: CurlRequest, _ name: String) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test("Zendesk: PUT the ticket with assignee_id as a number, basic auth over {email}/token:{api_token}")
    func zendeskRequest() throws {
        let request = try Self.zendesk.request(conversation: "4821", assignee: "12345", timeout: .seconds(7))
        #expect(request.method == "PUT")
        #expect(request.url == "https://acme.zendesk.com/api/v2/tickets/4821.json")
        #expect(request.timeout == .seconds(7))
        let authorization = try #require(Self.header(request, "Authorization"))
        #expect(authorization.hasPrefix("Basic "))
        let decoded = Data(base64Encoded: String(authorization.dropFirst("Basic ".count))).map {
            String(decoding: $0, as: UTF8.self)
        }
        #expect(decoded == "ops@acme.com/token:zd-secret-token")
        #expect(Self.header(request, "Content-Type") == "application/json")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"ticket":{"assignee_id":12345}}"#)
    }

    @Test("Zendesk: an assignee that is not a user id is refused before anything is sent")
    func zendeskRefusesTextIds() {
        #expect(throws: WriteBackRefusal.self) {
            _ = try Self.zendesk.request(conversation: "4821", assignee: "ana@acme.com", timeout: .seconds(5))
        }
        #expect(throws: WriteBackRefusal.self) {
            _ = try Self.zendesk.request(conversation: "4821", assignee: "0", timeout: .seconds(5))
        }
    }

    @Test("Intercom: POST an assignment part, bearer token, pinned API version; the agent assigns by default")
    func intercomRequest() throws {
        let request = try Self.intercom.request(conversation: "1911149811", assignee: "530165", timeout: .seconds(5))
        #expect(request.method == "POST")
        #expect(request.url == "https://api.intercom.io/conversations/1911149811/parts")
        #expect(Self.header(request, "Authorization") == "Bearer ic-token")
        #expect(Self.header(request, "Intercom-Version") == IntercomWriteBack.version)
        let body = try Self.json(request)
        #expect(body["message_type"] as? String == "assignment")
        #expect(body["type"] as? String == "admin")
        #expect(body["assignee_id"] as? String == "530165")
        #expect(body["admin_id"] as? String == "530165")
        #expect(body.count == 4)

        var acting = Self.intercom
        acting.adminId = "814860"
        #expect(
            try Self.json(try acting.request(conversation: "1", assignee: "530165", timeout: .seconds(5)))["admin_id"]
                as? String == "814860")
    }

    @Test("Front: PUT the conversation's assignee with a teammate id, bearer token")
    func frontRequest() throws {
        let request = try Self.front.request(conversation: "cnv_55c8c149", assignee: "tea_abc", timeout: .seconds(5))
        #expect(request.method == "PUT")
        #expect(request.url == "https://api2.frontapp.com/conversations/cnv_55c8c149/assignee")
        #expect(Self.header(request, "Authorization") == "Bearer fr-token")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"assignee_id":"tea_abc"}"#)
    }

    @Test("a conversation id is one path segment, whatever it holds")
    func idsArePercentEncoded() throws {
        let request = try Self.front.request(conversation: "a/b c?d", assignee: "tea_abc", timeout: .seconds(5))
        #expect(request.url == "https://api2.frontapp.com/conversations/a%2Fb%20c%3Fd/assignee")
        #expect(WriteBackTarget.segment("é") == "%C3%A9")
    }

    @Test("a target describes itself without its credentials")
    func descriptionHidesSecrets() {
        for target in [Self.zendesk, Self.intercom, Self.front] {
            #expect(!"\(target)".contains("token"))
            #expect("\(target)".contains(target.apiURL))
        }
    }

    @Test(
        "answers: 2xx done; 400, 404, 410, 422 refused for good; anything else retried",
        arguments: [
            (200, "done"), (201, "done"), (204, "done"), (400, "refused"), (404, "refused"), (410, "refused"),
            (422, "refused"), (401, "retry"), (403, "retry"), (409, "retry"), (429, "retry"), (500, "retry"),
            (503, "retry"), (301, "retry"),
        ])
    func outcomes(status: Int, expected: String) {
        let outcome = WriteBackService.outcome(of: CurlResponse(status: status, body: Array("nope".utf8)))
        switch outcome {
        case .done: #expect(expected == "done")
        case .refused(let reason):
            #expect(expected == "refused")
            #expect(reason == "platform answered HTTP \(status): nope")
        case .retry: #expect(expected == "retry")
        }
    }

    @Test("Retry-After in seconds is honoured, up to an hour")
    func retryAfter() {
        let slow = WriteBackService.outcome(of: CurlResponse(status: 429, headers: [HTTPHeader("Retry-After", "30")]))
        #expect(slow == .retry("platform answered HTTP 429", after: .seconds(30)))
        let huge = WriteBackService.outcome(
            of: CurlResponse(status: 503, headers: [HTTPHeader("retry-after", "86400")]))
        #expect(huge == .retry("platform answered HTTP 503", after: .seconds(3600)))
    }
}
