import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StandardWebhooks
import SwitchboardServer
import Synchronization

/// A real desk on an ephemeral port, running the same `DeskReceiver` as `switchboard desk`.
/// It verifies every delivery's signature and keeps the new ones.
final class TestDesk: Sendable {
    let secret: WebhookSecret
    let receiver: DeskReceiver
    let port: Int
    private let inbox: Inbox
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// The deliveries a desk has accepted, in arrival order.
    final class Inbox: Sendable {
        let items = Mutex<[DeskReceiver.Delivery]>([])
    }

    private init(
        secret: WebhookSecret, receiver: DeskReceiver, port: Int, inbox: Inbox, group: ServiceGroup,
        task: Task<Void, any Error>
    ) {
        self.secret = secret
        self.receiver = receiver
        self.port = port
        self.inbox = inbox
        self.group = group
        self.task = task
    }

    var url: String { "http://127.0.0.1:\(port)/handoffs" }

    /// Starts a desk and returns once it listens.
    static func start() async throws -> TestDesk {
        let secret = WebhookSecret.generate()
        let receiver = DeskReceiver(secret: secret)
        let inbox = Inbox()
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = receiver.application(
            port: 0, logger: Logger(label: "test.desk"), onServerRunning: { portSink.yield($0) },
            onDelivery: { delivery in inbox.items.withLock { $0.append(delivery) } })
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test.desk")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("desk did not start") }
        return TestDesk(secret: secret, receiver: receiver, port: port, inbox: inbox, group: group, task: task)
    }

    var deliveries: [DeskReceiver.Delivery] { inbox.items.withLock { $0 } }

    /// Waits until at least `count` deliveries arrived (or the timeout passes) and returns them all.
    func waitForDeliveries(_ count: Int, timeout: Duration = .seconds(10)) async -> [DeskReceiver.Delivery] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = deliveries
            if now.count >= count { return now }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return deliveries
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
