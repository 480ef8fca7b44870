import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SwitchboardConfig
import Synchronization

/// A small local stand-in for one platform's REST API on an ephemeral port: the one write-back endpoint, with
/// the platform's authentication and body rules, recording every request it receives. While `failing` it
/// answers 500 (after checking authentication), as a platform having an outage would.
final class TestPlatform: Sendable {
    /// One request as the stand-in saw it.
    struct Received: Sendable {
        var method: String
        var path: String
        var authorization: String?
        var intercomVersion: String?
        var contentType: String?
        var body: [UInt8]
        /// What the stand-in answered.
        var status: Int

        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    }

    let kind: WriteBackKind
    let port: Int
    static let email = "ops@acme.example"
    let token: String
    private let state: State
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// What the handler and the test share.
    final class State: Sendable {
        let received = Mutex<[Received]>([])
        let failing = Mutex(false)
    }

    private init(
        kind: WriteBackKind, port: Int, token: String, state: State, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.kind = kind
        self.port = port
        self.token = token
        self.state = state
        self.group = group
        self.task = task
    }

    var apiURL: String { "http://127.0.0.1:\(port)" }

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

    var requests: [Received] { state.received.withLock { $0 } }

    /// Answer 500 to every authenticated request from now on (true), or the platform's success again (false).
    func setFailing(_ value: Bool) { state.failing.withLock { $0 = value } }

    /// Waits until at least `count` requests arrived, with `status` if given (or the timeout passes); returns them.
    func waitForRequests(_ count: Int, status: Int? = nil, timeout: Duration = .seconds(10)) async -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = requests.filter { status == nil || $0.status == status }
            if now.count >= count { return now }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return requests.filter { status == nil || $0.status == status }
    }

    /// Starts the stand-in for `kind` and returns once it listens.
    static func start(_ kind: WriteBackKind, token: String = "tok-\(UUID().uuidString)") async throws -> TestPlatform {
        let state = State()
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let authorization = expectedAuthorization(kind, token: token)
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
            let (status, answer) = Self.answer(
                kind, request, body: body, authorization: authorization, failing: state.failing.withLock { $0 })
            state.received.withLock {
                $0.append(
                    Received(
                        method: request.method.rawValue, path: request.uri.path,
                        authorization: request.headers[.authorization],
                        intercomVersion: request.headers[HTTPField.Name("Intercom-Version")!],
                        contentType: request.headers[.contentType], body: body, status: Int(status.code)))
            }
            var headers = HTTPFields()
            if answer != nil { headers[.contentType] = "application/json" }
            return Response(
                status: status, headers: headers,
                body: answer.map { ResponseBody(byteBuffer: ByteBuffer(string: $0)) } ?? ResponseBody())
        }
        switch kind {
        case .zendesk: router.put("/api/v2/tickets/:file", use: handler)
        case .intercom: router.post("/conversations/:id/parts", use: handler)
        case .front: router.put("/conversations/:id/assignee", use: handler)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: kind.rawValue),
            onServerRunning: { channel in portSink.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test.platform"))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test.platform")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("\(kind) stand-in did not start") }
        return TestPlatform(
            kind: kind, port: port, token: token, state: state, group: group, task: task)
    }

    /// The platform's answer: 401 for wrong credentials, 500 while failing, 400/422 for a body the platform would
    /// refuse, else its success (Zendesk and Intercom 200 with the object, Front 204).
    private static func answer(
        _ kind: WriteBackKind, _ request: Request, body: [UInt8], authorization: String, failing: Bool
    ) -> (HTTPResponse.Status, String?) {
        guard request.headers[.authorization] == authorization else {
            return (.unauthorized, #"{"error":"Couldn't authenticate you"}"#)
        }
        if failing { return (.internalServerError, #"{"error":"stand-in outage"}"#) }
        guard request.headers[.contentType] == "application/json",
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        else { return (.badRequest, #"{"error":"expected a JSON object"}"#) }
        switch kind {
        case .zendesk:
            guard request.uri.path.hasSuffix(".json"), let ticket = json["ticket"] as? [String: Any],
                let assignee = ticket["assignee_id"] as? Int
            else { return (.unprocessableContent, #"{"error":"RecordInvalid"}"#) }
            let id = request.uri.path.split(separator: "/").last.map { $0.dropLast(".json".count) } ?? ""
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

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
