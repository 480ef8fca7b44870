import Foundation
import HTTPTypes
import SwitchboardConfig
import Synchronization

/// A stand-in for one platform's write-back endpoint, with the platform's authentication and body
/// rules, over a ``StandInAPI`` that records every request. While `failing` it answers 500 (after
/// checking authentication), as a platform having an outage would.
final class TestPlatform: Sendable {
    typealias Received = StandInAPI.Call

    let kind: WriteBackKind
    static let email = "ops@acme.example"
    let token: String
    private let api: StandInAPI
    private let outage: Outage

    /// Whether the stand-in is having an outage, shared with its handler.
    private final class Outage: Sendable {
        let on = Mutex(false)
    }

    private init(kind: WriteBackKind, token: String, api: StandInAPI, outage: Outage) {
        self.kind = kind
        self.token = token
        self.api = api
        self.outage = outage
    }

    var apiURL: String { api.url }

    /// `write_back` settings for a source whose conversations live on this stand-in; `token` overrides the
    /// right one (to test a wrong token).
    func writeBack(token: String? = nil) -> WriteBackSettings {
        WriteBackSettings(
            kind: kind, apiURL: apiURL, email: kind == .zendesk ? Self.email : nil, apiToken: token ?? self.token)
    }

    /// The Authorization header the platform expects.
    static func expectedAuthorization(_ kind: WriteBackKind, token: String) -> String {
        switch kind {
        case .zendesk: "Basic " + Data("\(email)/token:\(token)".utf8).base64EncodedString()
        case .intercom, .front: "Bearer \(token)"
        }
    }

    var requests: [Received] { api.received }

    /// Answer 500 to every authenticated request from now on (true), or the platform's success again (false).
    func setFailing(_ value: Bool) { outage.on.withLock { $0 = value } }

    /// Waits until at least `count` requests arrived, with `status` if given (or the timeout passes); returns them.
    func waitForRequests(_ count: Int, status: Int? = nil, timeout: Duration = .seconds(10)) async -> [Received] {
        await api.waitForCalls(count, status: status, timeout: timeout)
    }

    /// Starts the stand-in for `kind` and returns once it listens.
    static func start(_ kind: WriteBackKind, token: String = "tok-\(UUID().uuidString)") async throws -> TestPlatform {
        let outage = Outage()
        let authorization = expectedAuthorization(kind, token: token)
        let api = try await StandInAPI.start(name: kind.rawValue) { call in
            Self.answer(kind, call, authorization: authorization, failing: outage.on.withLock { $0 })
        }
        return TestPlatform(kind: kind, token: token, api: api, outage: outage)
    }

    /// The platform's answer: 401 for wrong credentials, 500 while failing, 400/422 for a body the platform would
    /// refuse, else its success (Zendesk and Intercom 200 with the object, Front 204).
    private static func answer(
        _ kind: WriteBackKind, _ request: StandInAPI.Call, authorization: String, failing: Bool
    ) -> StandInAPI.Answer {
        let (status, json) = rule(kind, request, authorization: authorization, failing: failing)
        return StandInAPI.Answer(status: status, json: json)
    }

    private static func rule(
        _ kind: WriteBackKind, _ request: StandInAPI.Call, authorization: String, failing: Bool
    ) -> (HTTPResponse.Status, String?) {
        let expectedPath: Bool
        switch kind {
        case .zendesk: expectedPath = request.method == "PUT" && request.path.hasPrefix("/api/v2/tickets/")
        case .intercom: expectedPath = request.method == "POST" && request.path.hasPrefix("/conversations/") && request.path.hasSuffix("/parts")
        case .front: expectedPath = request.method == "PUT" && request.path.hasPrefix("/conversations/") && request.path.hasSuffix("/assignee")
        }
        guard expectedPath else { return (.notFound, #"{"error":"no such endpoint"}"#) }
        guard request.headers[.authorization] == authorization else {
            return (.unauthorized, #"{"error":"Couldn't authenticate you"}"#)
        }
        if failing { return (.internalServerError, #"{"error":"stand-in outage"}"#) }
        guard request.headers[.contentType] == "application/json",
            let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        else { return (.badRequest, #"{"error":"expected a JSON object"}"#) }
        switch kind {
        case .zendesk:
            guard request.path.hasSuffix(".json"), let ticket = json["ticket"] as? [String: Any],
                let assignee = ticket["assignee_id"] as? Int
            else { return (.unprocessableContent, #"{"error":"RecordInvalid"}"#) }
            let id = request.path.split(separator: "/").last.map { $0.dropLast(".json".count) } ?? ""
            return (.ok, #"{"ticket":{"id":\#(id),"assignee_id":\#(assignee)}}"#)
        case .intercom:
            guard json["message_type"] as? String == "assignment", json["type"] as? String == "admin",
                json["admin_id"] is String, let assignee = json["assignee_id"] as? String,
                request.headers[HTTPField.Name("Intercom-Version")!] != nil
            else { return (.badRequest, #"{"type":"error.list","errors":[{"code":"parameter_invalid"}]}"#) }
            return (.ok, #"{"type":"conversation","admin_assignee_id":"\#(assignee)"}"#)
        case .front:
            guard json["assignee_id"] is String else { return (.badRequest, #"{"_error":{"status":400}}"#) }
            return (.noContent, nil)
        }
    }

    func stop() async { await api.stop() }
}
