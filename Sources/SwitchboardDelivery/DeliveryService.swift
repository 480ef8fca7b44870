import Curl
import Foundation
import Logging
import ServiceLifecycle
import StandardWebhooks
import SwitchboardCore
import SwitchboardStore
import Synchronization

/// Delivers handoffs and follow-up messages to agents' desks as signed POSTs (Standard Webhooks),
/// retrying failures with backoff. Every delivery is in the store before it is attempted, so a
/// retry survives a restart; the desk sees the same `webhook-id` on every attempt and can dedupe.
///
/// Two loops share the work: the sender takes what is due and keeps up to `policy.concurrency` POSTs in
/// flight, starting each as soon as a slot frees (a slow desk holds only its own slot); the settler records
/// the outcomes that have come back since it last ran in one store transaction, so one commit covers a
/// whole batch of deliveries. A delivery stays out of the sender's reach from its start until its outcome
/// is committed, so it is never sent twice by this instance.
public struct DeliveryService: Service {
    let store: any DeliveryStore
    let client: CurlClient
    let wake: WakeSignal
    let policy: DeliveryPolicy
    let logger: Logger
    private let outcomes = DeliveryOutcomes()

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
            await withDiscardingTaskGroup { group in
                group.addTask { await loop("settling deliveries failed") { try await settle() } }
                await loop("delivery loop failed") { try await send(group: &group) }
                group.cancelAll()
            }
        }
    }

    /// Runs `step` until cancelled, logging and pausing after a failure.
    private func loop(_ failure: String, _ step: () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await step()
            } catch is CancellationError {
                return
            } catch {
                logger.error("\(failure); retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Starts the deliveries due now in the free slots, or waits for a new one, a free slot or the next retry.
    private func send(group: inout DiscardingTaskGroup) async throws {
        let free = policy.concurrency - outcomes.inFlight
        if free > 0 {
            let held = outcomes.held
            let due = try await store.dueDeliveries(now: Date(), limit: free + held.count)
                .filter { !held.contains($0.id) }.prefix(free)
            for delivery in due where outcomes.start(delivery.id) {
                group.addTask { outcomes.finish(await attempt(delivery)) }
            }
            if !due.isEmpty { return }
        }
        await wake.wait(timeout: free > 0 ? try await idleWait() : .seconds(1))
    }

    /// Commits the outcomes that came back, the successes in one transaction; waits when there are none.
    private func settle() async throws {
        let batch = outcomes.take()
        guard !batch.isEmpty else {
            await outcomes.arrived.wait(timeout: .seconds(1))
            return
        }
        defer { outcomes.release(batch.map(\.id)) }
        try await store.markDelivered(batch.compactMap(\.delivered))
        for retry in batch.compactMap(\.retry) {
            try await store.scheduleRetry(
                id: retry.id, attempts: retry.attempts, nextAttemptAt: retry.at, error: retry.error)
        }
        // The next delivery of the same handoff may be due now, and a slot is free.
        wake.signal()
    }

    /// How long to sleep when nothing is due: until the next retry, at most a second.
    private func idleWait() async throws -> Duration {
        guard let next = try await store.nextDeliveryDue() else { return .seconds(1) }
        let seconds = min(max(next.timeIntervalSinceNow, 0.01), 1)
        return .milliseconds(Int(seconds * 1000))
    }

    private func attempt(_ delivery: DueDelivery) async -> DeliveryOutcome {
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
                logger.debug("delivered", metadata: metadata.merging(["status": "\(response.status)"]) { $1 })
                return DeliveryOutcome(id: delivery.id, delivered: DeliveredMark(id: delivery.id, at: Date()))
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
        return DeliveryOutcome(
            id: delivery.id,
            retry: .init(id: delivery.id, attempts: attempt, at: Date().addingTimeInterval(seconds), error: failure))
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
