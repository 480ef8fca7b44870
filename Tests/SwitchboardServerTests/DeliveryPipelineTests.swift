import Foundation
import HummingbirdTesting
import StandardWebhooks
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Deliveries go out as a pipeline: a desk that does not answer holds up only its own deliveries.
@Suite("Delivery pipeline", .serialized)
struct DeliveryPipelineTests {
    @Test("a desk that never answers holds up only its own handoffs: another agent's arrives at once")
    func stalledDeskHoldsUpOnlyItself() async throws {
        let stalled = try StalledListener()
        defer { stalled.close() }
        let ben = try await TestDesk.start()
        let secret = WebhookSecret.generate().stringValue
        // Ana is the better agent, with room for one chat, at a desk that takes the connection and never answers
        // (each attempt runs into the delivery timeout, 10 s here). Ben takes what she has no room for.
        var setUp = try TestEnvironment(agents: [
            "{id: ana, name: \"Ana\", status: online, skills: {general: 3}, capacity: {chat: 1}, "
                + "desk: {url: \"http://127.0.0.1:\(stalled.port)/handoffs\", secret: \"\(secret)\"}}",
            TestEnvironment.agent("ben", name: "Ben", skills: "{general: 2}", capacity: "{chat: 5}", desk: ben),
        ])
        setUp.configuration.delivery.timeoutSeconds = 10
        let environment = setUp
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let first = TestEnvironment.body(conversation: "c-ana", customerId: "u-1", messageId: "m-1", text: "hello")
            #expect(try await client.postInbound(environment, body: first).status == .accepted)
            // Ana's handoff is being attempted now.
            try await stalled.waitForConnection()

            let sent = ContinuousClock.now
            let second = TestEnvironment.body(conversation: "c-ben", customerId: "u-2", messageId: "m-1", text: "hi")
            #expect(try await client.postInbound(environment, body: second).status == .accepted)
            let deliveries = await ben.waitForDeliveries(1, timeout: .seconds(8))
            let arrived = ContinuousClock.now - sent
            #expect(deliveries.count == 1)
            #expect(deliveries.first?.value("kind") as? String == "handoff")
            // Before, a round waited for all its attempts: Ben's handoff waited out Ana's 10 s timeout. The bound
            // allows for a loaded machine.
            #expect(arrived < .seconds(5), "Ben's handoff arrived \(arrived) after its webhook")
        }
        await ben.stop()
    }
}

/// A port that takes connections into its backlog and never answers: a desk that hangs.
private final class StalledListener: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard listening else {
            _ = Glibc.close(fd)
            throw TestFailure("cannot listen on a local port")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Returns once a client has connected (a connection is waiting in the backlog), leaving it unanswered.
    func waitForConnection(timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("nobody connected to the stalled desk within \(timeout)")
    }

    func close() { _ = Glibc.close(fd) }
}
