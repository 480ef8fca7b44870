import Hummingbird

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request context that remembers the client's port, so tests can see connection reuse.
struct PeerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peerPort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerPort = source.channel.remoteAddress?.port
    }
}

/// A real Hummingbird server on 127.0.0.1 and a free port, shared by all tests of the process.
///
/// It is started on first use and never stopped: stopping a Hummingbird server by cancelling it
/// while it still sets up accepted connections (e.g. ones a cancelled transfer abandoned right
/// after the handshake) trips a NIO precondition, "Deinited NIOAsyncWriter without calling
/// finish()" (apple/swift-nio#3481), and graceful shutdown needs ServiceLifecycle, which this
/// test target does not depend on. Tests only use their own `CurlClient`s, so sharing is safe.
enum TestServer {
    /// Runs `body` with the shared server's base URL, `http://127.0.0.1:PORT`.
    static func run<T: Sendable>(_ body: (_ baseURL: String) async throws -> T) async throws -> T {
        try await body(shared.value)
    }

    private static let shared = Task<String, any Error> {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var application = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }
        )
        application.logger.logLevel = .warning
        let app = application
        // Runs until the test process exits.
        Task.detached {
            defer { portContinuation.finish() }
            try? await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            throw ServerDidNotStart()
        }
        return "http://127.0.0.1:\(port)"
    }

    struct ServerDidNotStart: Error {}

    static func makeRouter() -> Router<PeerContext> {
        let router = Router(context: PeerContext.self)

        // Echoes the request body, with what arrived in X-Echo-* headers; ?status=N sets the status.
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]
        for method in methods {
            router.on("/echo", method: method) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 16 << 20)
                let status = request.uri.queryParameters["status"].flatMap { Int(String($0)) } ?? 200
                var headers = HTTPFields()
                headers[test: "X-Echo-Method"] = request.method.rawValue
                for name in ["Content-Type", "Content-Length", "Expect", "X-Test", "X-Empty", "Transfer-Encoding"] {
                    headers[test: "X-Echo-\(name)"] = request.headers[test: name] ?? "(none)"
                }
                return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: body))
            }
        }

        // Responds with status {code}.
        router.get("/status/{code}") { _, context -> Response in
            let code = try context.parameters.require("code", as: Int.self)
            let hasBody = code != 204 && code != 304
            return Response(
                status: .init(code: code),
                body: hasBody ? .init(byteBuffer: ByteBuffer(string: "status \(code)")) : .init()
            )
        }

        // Answers after ?ms= milliseconds.
        router.get("/slow") { request, _ -> String in
            let ms = request.uri.queryParameters["ms"].flatMap { Int(String($0)) } ?? 1000
            try await Task.sleep(for: .milliseconds(ms))
            return "slow done"
        }

        // ?count= bytes, with a Content-Length, or chunked (no length known up front) with ?chunked=1.
        router.get("/bytes") { request, _ -> Response in
            let count = request.uri.queryParameters["count"].flatMap { Int(String($0)) } ?? 0
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
            guard request.uri.queryParameters["chunked"] == "1" else {
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            return Response(
                status: .ok,
                body: .init { writer in
                    var offset = 0
                    while offset < bytes.count {
                        let end = min(offset + 1000, bytes.count)
                        try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                        offset = end
                    }
                    try await writer.finish(nil)
                }
            )
        }

        // A redirect, which the client must not follow.
        router.get("/redirect") { _, _ -> Response in
            var headers = HTTPFields()
            headers[test: "Location"] = "/status/200"
            return Response(status: .found, headers: headers)
        }

        // Several header fields, one of them repeated.
        router.get("/headers") { _, _ -> Response in
            var headers = HTTPFields()
            headers[testValues: "X-Multi"] = ["first", "second"]
            headers[test: "X-Single"] = "value with spaces"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }

        // The client's port: equal on two requests means the connection was reused.
        router.get("/peer") { _, context -> String in
            "\(context.peerPort ?? -1)"
        }
        return router
    }
}

extension HTTPFields {
    /// The field named `name` (case-insensitive), by string.
    subscript(test name: String) -> String? {
        get { self[.init(name)!] }
        set { self[.init(name)!] = newValue }
    }

    /// All fields named `name`, by string.
    subscript(testValues name: String) -> [String] {
        get { self[values: .init(name)!] }
        set { self[values: .init(name)!] = newValue }
    }
}

/// A bound but not listening TCP socket on 127.0.0.1: connecting to its port is refused, and
/// no other test can take the port while it is open.
final class RefusingPort {
    let port: Int
    private let fd: Int32

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw SocketError()
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(fd)
    }

    struct SocketError: Error {}
}
