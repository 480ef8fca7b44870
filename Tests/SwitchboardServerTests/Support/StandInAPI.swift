import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A small local stand-in for a platform's API (the real ones cannot be reached from here): it
/// answers every request with `respond` and records what it was asked.
final class StandInAPI: Sendable {
    struct Call: Sendable {
        var method: String
        var path: String
        var query: String?
        var authorization: String?
        var body: String
    }

    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var json: String
    }

    let port: Int
    private let recorder: Recorder
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, recorder: Recorder, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.recorder = recorder
        self.group = group
        self.task = task
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var received: [Call] { recorder.calls.withLock { $0 } }

    /// Starts the stand-in and returns once it listens.
    static func start(_ respond: @escaping @Sendable (Call) -> Answer) async throws -> StandInAPI {
        let recorded = Recorder()
        let router = Router()
        router.on("**", method: .get) { request, context in try await handle(request, context, respond, recorded) }
        router.on("**", method: .post) { request, context in try await handle(request, context, respond, recorded) }
        router.on("**", method: .put) { request, context in try await handle(request, context, respond, recorded) }
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.stand-in"))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test.stand-in")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("stand-in API did not start") }
        return StandInAPI(port: port, recorder: recorded, group: group, task: task)
    }

    private final class Recorder: Sendable {
        let calls = Mutex<[Call]>([])
    }

    private static func handle(
        _ request: Request, _ context: BasicRequestContext, _ respond: @Sendable (Call) -> Answer, _ recorder: Recorder
    ) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let call = Call(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            authorization: request.headers[.authorization], body: String(buffer: body))
        recorder.calls.withLock { $0.append(call) }
        let answer = respond(call)
        return Response(
            status: answer.status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.json)))
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
