import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import StandardWebhooks
import Synchronization

/// A tiny desk: receives handoffs, verifies their Standard Webhooks signature, drops repeats of the
/// same `webhook-id`, and hands each new one to `onDelivery`. `switchboard desk` prints them; the
/// tests keep them.
public final class DeskReceiver: Sendable {
    /// One verified delivery.
    public struct Delivery: Sendable {
        public var webhookId: String
        public var path: String
        public var body: [UInt8]

        /// The body as a JSON object.
        public var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
        }
    }

    public let verifier: WebhookVerifier
    private let seen = Mutex<Set<String>>([])
    /// How many deliveries came again with a `webhook-id` already seen (dropped).
    public let repeats = Mutex(0)
    /// Status to answer with; tests set it to simulate a failing desk.
    public let failWith = Mutex<Int?>(nil)

    public init(secret: WebhookSecret) {
        self.verifier = WebhookVerifier(secret: secret)
    }

    /// The desk as a Hummingbird application listening on `host:port` (0 picks a free port).
    public func application(
        host: String = "127.0.0.1", port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onDelivery: @escaping @Sendable (Delivery) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("**") { request, context -> Response in
            if let status = self.failWith.withLock({ $0 }) {
                return Response(status: .init(code: status))
            }
            var request = request
            let body = try await request.collectBody(upTo: 8 << 20)
            let bytes = Array(body.readableBytesView)
            let id = request.headers[.webhookId]
            do {
                try self.verifier.verify(
                    id: id, timestamp: request.headers[.webhookTimestamp], signature: request.headers[.webhookSignature],
                    body: bytes)
            } catch {
                throw HTTPError(.unauthorized, message: "\(error)")
            }
            let webhookId = id ?? ""
            let isNew = self.seen.withLock { $0.insert(webhookId).inserted }
            if isNew {
                await onDelivery(Delivery(webhookId: webhookId, path: request.uri.path, body: bytes))
            } else {
                self.repeats.withLock { $0 += 1 }
            }
            return Response(status: .ok)
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "SwitchboardDesk"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
