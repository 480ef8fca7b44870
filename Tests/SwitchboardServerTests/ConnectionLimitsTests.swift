import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Slow and silent clients cannot hold the server's connections: a request's head must arrive within
/// `server.head_timeout_seconds` of its first byte, its body within `server.body_timeout_seconds`, an
/// idle connection closes after `server.idle_timeout_seconds`, and at most `server.max_connections`
/// are open at once. Meanwhile everyone else is served.
@Suite("Connection limits", .serialized)
struct ConnectionLimitsTests {
    static func environment(maxConnections: Int = 1_000) throws -> TestEnvironment {
        var environment = try TestEnvironment(agents: [])
        environment.configuration.server.headTimeoutSeconds = 2
        environment.configuration.server.bodyTimeoutSeconds = 2
        environment.configuration.server.idleTimeoutSeconds = 3
        environment.configuration.server.maxConnections = maxConnections
        return environment
    }

    @Test("a client sending its request a byte at a time is cut off at the head's deadline, others served meanwhile")
    func slowHead() async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let slow = try RawConnection(port: try #require(client.port))
            let request = Array("POST /v1/inbound/web HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n".utf8)
            let started = ContinuousClock.now
            var sent = 0
            while sent < request.count, slow.send([request[sent]]), !slow.isClosed {
                sent += 1
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
                try await Task.sleep(for: .milliseconds(250))
            }
            let took = started.duration(to: .now)
            #expect(sent < request.count, "the whole head was sent a byte at a time without being cut off")
            #expect(took >= .seconds(1.5) && took < .seconds(5), "cut off after \(took)")
        }
    }

    @Test("a body that stops arriving is cut off at the body's deadline; nothing is stored")
    func stalledBody() async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let stalled = try RawConnection(port: try #require(client.port))
            let body = TestEnvironment.body(conversation: "c-1", messageId: "m-1", text: "hello")
            var head = "POST /v1/inbound/web HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
            for field in environment.signedHeaders(body, id: "wh-stalled") { head += "\(field.name.rawName): \(field.value)\r\n" }
            let started = ContinuousClock.now
            stalled.send(Array((head + "\r\n").utf8) + body.prefix(10))
            let answer = stalled.readToEnd(timeout: .seconds(10))
            let took = started.duration(to: .now)
            #expect(answer != nil, "the connection was still open after 10 s")
            #expect(answer?.contains(" 202 ") != true)
            #expect(took >= .seconds(1.5) && took < .seconds(5), "cut off after \(took)")
            // Sent whole, the same webhook is new: the cut one was not stored.
            #expect(try await client.postInbound(environment, body: body, id: "wh-stalled").status == .accepted)
        }
    }

    @Test("a connection that sends nothing is closed at the idle timeout")
    func idle() async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let silent = try RawConnection(port: try #require(client.port))
            let started = ContinuousClock.now
            #expect(silent.readToEnd(timeout: .seconds(10)) != nil, "still open after 10 s")
            let took = started.duration(to: .now)
            #expect(took >= .seconds(2.5) && took < .seconds(6), "closed after \(took)")
        }
    }

    @Test("past max_connections a new connection waits until one closes")
    func cap() async throws {
        // The test client holds one connection; one silent connection fills the other place.
        let environment = try Self.environment(maxConnections: 2)
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let port = try #require(client.port)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            var silent: RawConnection? = try RawConnection(port: port)
            try await Task.sleep(for: .milliseconds(300))
            let started = ContinuousClock.now
            let waiting = Task {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { other in
                    try await other.get("/health").head.status
                }
            }
            try await Task.sleep(for: .seconds(1))
            silent = nil  // closes it
            _ = silent
            let status = try await waiting.value
            let took = started.duration(to: .now)
            #expect(status == .ok)
            #expect(took >= .seconds(0.9), "the third connection was served at once (\(took)): no cap")
        }
    }
}
