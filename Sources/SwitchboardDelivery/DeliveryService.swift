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
        let inFlight = DeliveryInFlight()
        let taken = WakeSignal()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await markTaken(inFlight: inFlight, taken: taken) }
                while !Task.isCancelled {
                    do {
                        if try await step(inFlight: inFlight, taken: taken, group: &group) == false {
                            // Each attempt that ends signals `wake`, as a newly stored delivery does.
                            await wake.wait(timeout: inFlight.count > 0 ? .seconds(1) : try await idleWait())
                        }
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.error("delivery loop failed; retrying", metadata: ["error": "\(error)"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                group.cancelAll()
            }
        }
        // What the desks took before the shutdown is marked, so that it is not sent again after a restart.
        try? await store.markDelivered(inFlight.takeMarks())
    }

    /// Marks what the desks took, one transaction for all that were taken while the previous one was written,
    /// beside the attempts: a slow commit (the router's transactions share the store's writer) holds up no
    /// delivery.
    private func markTaken(inFlight: DeliveryInFlight, taken: WakeSignal) async {
        while !Task.isCancelled {
            let marks = inFlight.takeMarks()
            guard !marks.isEmpty else {
                await taken.wait(timeout: .seconds(1))
                continue
            }
            do {
                try await store.markDelivered(marks)
                inFlight.settled(marks.map(\.id))
                wake.signal()
            } catch {
                inFlight.retake(marks)
                if Task.isCancelled { return }
                logger.error("could not mark deliveries as delivered; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One round: starts what is due, as far as `policy.concurrency` leaves room. Attempts run on while later
    /// rounds start more, so a slow desk holds up only its own deliveries. False when there was nothing to do.
    func step(inFlight: DeliveryInFlight, taken: WakeSignal, group: inout DiscardingTaskGroup) async throws -> Bool {
        let room = policy.concurrency - inFlight.attempting
        guard room > 0 else { return false }
        // Those started and not yet settled are still pending in the store, and come first: ask for that many more.
        // Marks are committed beside this look, so one it read as pending may be settled by the time it returns.
        inFlight.beginLook()
        let due = try await store.dueDeliveries(now: Date(), limit: room + inFlight.count)
        let starting = inFlight.start(due, room: room)
        for delivery in starting {
            group.addTask { await attempt(delivery, inFlight: inFlight, taken: taken) }
        }
        return !starting.isEmpty
    }

    /// How long to sleep when nothing is due: until the next retry, at most a second.
    private func idleWait() async throws -> Duration {
        guard let next = try await store.nextDeliveryDue() else { return .seconds(1) }
        let seconds = min(max(next.timeIntervalSinceNow, 0.01), 1)
        return .milliseconds(Int(seconds * 1000))
    }

    private func attempt(_ delivery: DueDelivery, inFlight: DeliveryInFlight, taken: WakeSignal) async {
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
                inFlight.taken(DeliveredMark(id: delivery.id, at: Date()))
                taken.signal()
                wake.signal()
                logger.debug("delivered", metadata: metadata.merging(["status": "\(response.status)"]) { $1 })
                return
            }
            failure = "desk answered HTTP \(response.status)"
        } catch {
            // Shutting down: the attempt was cut short, not refused; it stays pending for the next start.
            if Task.isCancelled {
                inFlight.failed()
                return
            }
            failure = "\(error)"
        }
        inFlight.failed()
        defer {
            inFlight.settled([delivery.id])
            wake.signal()
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
