import Curl
import Foundation
import Logging
import ServiceLifecycle
import StandardWebhooks
import SwitchboardCore
import SwitchboardStore

/// Delivers handoffs and follow-up messages to agents' desks as signed POSTs (Standard Webhooks),
/// retrying failures with backoff. Every delivery is in the store before it is attempted, so a
/// retry survives a restart; the desk sees the same `webhook-id` on every attempt and can dedupe.
public struct DeliveryService: Service {
    let store: any DeliveryStore
    let client: CurlClient
    let wake: WakeSignal
    let policy: DeliveryPolicy
    let logger: Logger

    /// - Parameter wake: signalled whenever a new delivery is stored, so it goes out at once.
    public init(store: any DeliveryStore, client: CurlClient, wake: WakeSignal, policy: DeliveryPolicy, logger: Logger) {
        self.store = store
        self.client = client
        self.wake = wake
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await deliverDue() == 0 {
                        await wake.wait(timeout: try await idleWait())
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("delivery loop failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Attempts every delivery due now; returns how many were attempted.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let due = try await store.dueDeliveries(now: Date(), limit: policy.concurrency)
        await withTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask { await attempt(delivery) }
            }
        }
        return due.count
    }

    /// How long to sleep when nothing is due: until the next retry, at most a second.
    private func idleWait() async throws -> Duration {
        guard let next = try await store.nextDeliveryDue() else { return .seconds(1) }
        let seconds = min(max(next.timeIntervalSinceNow, 0.01), 1)
        return .milliseconds(Int(seconds * 1000))
    }

    private func attempt(_ delivery: DueDelivery) async {
        let attempt = delivery.attempts + 1
        var metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "agent": "\(delivery.agentId)", "kind": "\(delivery.kind)",
            "attempt": "\(attempt)",
        ]
        let failure: String
        do {
            guard let desk = delivery.desk else { throw DeliveryFailure("agent \(delivery.agentId) has no desk") }
            let response = try await client.execute(request(for: delivery, desk: desk))
            if (200..<300).contains(response.status) {
                try await store.markDelivered(id: delivery.id, at: Date())
                logger.info("delivered", metadata: metadata.merging(["status": "\(response.status)"]) { $1 })
                return
            }
            failure = "desk answered HTTP \(response.status)"
        } catch {
            failure = "\(error)"
        }
        let wait = policy.backoff(afterAttempts: attempt)
        metadata["error"] = "\(failure)"
        metadata["retry_in"] = "\(wait)"
        logger.warning("delivery failed; will retry", metadata: metadata)
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        do {
            try await store.scheduleRetry(
                id: delivery.id, attempts: attempt, nextAttemptAt: Date().addingTimeInterval(seconds), error: failure)
        } catch {
            logger.error("could not record a failed delivery", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }

    private func request(for delivery: DueDelivery, desk: Desk) throws -> CurlRequest {
        let secret = try WebhookSecret(desk.secret)
        let timestamp = Int(Date().timeIntervalSince1970)
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("User-Agent", "Switchboard")]
        for (name, value) in WebhookSigner(secret: secret).headers(id: delivery.id, timestamp: timestamp, body: delivery.payload) {
            headers.append(HTTPHeader(name, value))
        }
        return CurlRequest(
            method: "POST", url: desk.url, headers: headers, body: delivery.payload, timeout: policy.timeout,
            connectTimeout: min(policy.timeout, .seconds(5)))
    }
}

struct DeliveryFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
