import Curl
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import StandardWebhooks

/// The agents' desk of an end-to-end step, in the bench's own process: it answers every delivery 200 at
/// once, records when each conversation's handoff arrived (by `conversation.external_id`) and when each
/// follow-up arrived (by `message.id`), and accepts each new offer through the agent API afterwards, as an
/// agent would, so that no offer lapses and is offered again. The arrival time is taken when the body is in,
/// before the signature check (HMAC-SHA256, a few microseconds) and the JSON decoding.
struct EndToEndDesk: Sendable {
    let record: EndToEndRecord
    let verifier: WebhookVerifier
    /// `e2e-<nonce>-`: conversation external ids, followed by the conversation's number.
    let conversationPrefix: String
    /// `m-<nonce>-`: message ids, followed by the webhook's number.
    let messagePrefix: String
    private let offers: AsyncStream<String>.Continuation
    private let offered: AsyncStream<String>

    init(record: EndToEndRecord, secret: WebhookSecret, nonce: String) {
        self.record = record
        verifier = WebhookVerifier(secret: secret)
        conversationPrefix = "e2e-\(nonce)-"
        messagePrefix = "m-\(nonce)-"
        (offered, offers) = AsyncStream<String>.makeStream()
    }

    /// The fields of a delivery the desk reads (docs/handoff.schema.json); the rest is skipped.
    private struct Delivery: Decodable {
        struct Conversation: Decodable {
            var externalId: String
            enum CodingKeys: String, CodingKey { case externalId = "external_id" }
        }
        struct Message: Decodable { var id: String }
        var kind: String
        var handoffId: String
        var conversation: Conversation?
        var message: Message?
        var reason: String?
        enum CodingKeys: String, CodingKey {
            case kind, conversation, message, reason
            case handoffId = "handoff_id"
        }
    }

    /// The desk as a Hummingbird application on 127.0.0.1, a free port; `onServerRunning` gets the port.
    func application(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        let names = (
            id: HTTPField.Name(WebhookHeaderName.id)!, timestamp: HTTPField.Name(WebhookHeaderName.timestamp)!,
            signature: HTTPField.Name(WebhookHeaderName.signature)!
        )
        router.post("/handoffs") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            let arrived = monotonicNanoseconds()
            let bytes = body.readableBytesView
            do {
                try verifier.verify(
                    id: request.headers[names.id], timestamp: request.headers[names.timestamp],
                    signature: request.headers[names.signature], body: bytes)
            } catch {
                record.badSignature()
                return Response(status: .unauthorized)
            }
            receive(Data(bytes), at: arrived)
            return Response(status: .ok)
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "BenchDesk"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    private func receive(_ body: Data, at arrived: UInt64) {
        guard let delivery = try? JSONDecoder().decode(Delivery.self, from: body) else {
            record.other(released: nil)
            return
        }
        switch delivery.kind {
        case "handoff":
            let conversation = delivery.conversation.flatMap { number(in: $0.externalId, after: conversationPrefix) } ?? -1
            if record.handoff(conversation: conversation, handoffId: delivery.handoffId, at: arrived) {
                offers.yield(delivery.handoffId)
            }
        case "message":
            record.message(webhook: delivery.message.flatMap { number(in: $0.id, after: messagePrefix) } ?? -1, at: arrived)
        default:
            record.other(released: delivery.reason ?? delivery.kind)
        }
    }

    private func number(in id: String, after prefix: String) -> Int? {
        id.hasPrefix(prefix) ? Int(id.dropFirst(prefix.count)) : nil
    }

    /// Accepts each offer that arrives, concurrently, through the servers in turn (`POST
    /// /v1/handoffs/{id}/accept` with the admin token), until ``finish()``. With `accept` false, only drains.
    func acceptOffers(servers: [String], token: String, client: CurlClient, accept: Bool = true) async {
        await withDiscardingTaskGroup { group in
            var turn = 0
            for await handoffId in offered where accept {
                let url = "\(servers[turn % servers.count])/v1/handoffs/\(handoffId)/accept"
                turn += 1
                group.addTask {
                    let request = CurlRequest(
                        method: "POST", url: url, headers: [HTTPHeader("Authorization", "Bearer \(token)")],
                        timeout: .seconds(30))
                    record.acceptAnswered(status: (try? await client.execute(request))?.status)
                }
            }
        }
    }

    /// Ends ``acceptOffers(servers:token:client:accept:)`` once the accepts in flight are answered.
    func finish() {
        offers.finish()
    }
}
