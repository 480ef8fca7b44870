import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A small local stand-in for a platform's API on an ephemeral port (the real ones cannot be
/// reached from here): it answers every request with `respond` and records each call with its answer.
final class StandInAPI: Sendable {
    struct Call: Sendable {
        var method: String
        var path: String
        var query: String?
        var headers: HTTPFields
        var body: [UInt8]
        /// The status the stand-in answered.
        var status: Int = 0

        var authorization: String? { headers[.authorization] }
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    }

    struct Answer: Sendable {
        var status: HTTPResponse.Status
        /// A JSON body; nil for none.
        var json: String?
    }

    let port: Int
    private let recorder: Recorder
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private final class Recorder: Sendable {
        let calls = Mutex<[Call]>([])
    }

    private init(port: Int, recorder: Recorder, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.recorder = recorder
        self.group = group
        self.task = task
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var received: [Call] { recorder.calls.withLock { $0 } }

    /// Starts the stand-in and returns once it listens.
    static func start(name: String = "stand-in", _ respond: @escaping @Sendable (Call) -> Answer) async throws -> StandInAPI {
        let recorder = Recorder()
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ in
                var request = request
                let body = Array(try await request.collectBody(upTo: 1 << 20).readableBytesView)
                var call = Call(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                    headers: request.headers, body: body)
                let answer = respond(call)
                call.status = Int(answer.status.code)
                recorder.calls.withLock { $0.append(call) }
                var headers = HTTPFields()
                if answer.json != nil { headers[.contentType] = "application/json" }
                return Response(
                    status: answer.status, headers: headers,
                    body: answer.json.map { ResponseBody(byteBuffer: ByteBuffer(string: $0)) } ?? ResponseBody())
            }
        }
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.\(name)"))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test.\(name)")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("\(name) did not start") }
        return StandInAPI(port: port, recorder: recorder, group: group, task: task)
    }

    /// Waits until at least `count` calls arrived, with `status` if given (or the timeout passes); returns them.
    func waitForCalls(_ count: Int, status: Int? = nil, timeout: Duration = .seconds(10)) async -> [Call] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = received.filter { status == nil || $0.status == status }
            if now.count >= count { return now }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return received.filter { status == nil || $0.status == status }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
