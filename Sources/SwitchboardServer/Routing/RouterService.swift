import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardStore

/// Applies committed inbound events in order and offers waiting conversations when an agent may
/// have become eligible. Its cursor is committed with the effects of the events it covers.
struct RouterService: Service {
    let store: any Store
    let planner: RoutingPlanner
    let signals: RoutingSignals
    let logger: Logger
    /// Events per transaction: a backlog is applied in large transactions, so that one fsync covers many
    /// events. Acknowledgements do not wait for these: the inbound log is a separate file with its own writer.
    var batchSize = 500

    func run() async throws {
        signals.requestDispatch()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await step() == false {
                        await signals.router.wait(timeout: .seconds(1))
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("routing failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// One unit of work: a batch of new events, then a requested dispatch, so that a steady stream of
    /// webhooks cannot hold back a conversation waiting for the agent who just came online.
    /// False when there was nothing to do.
    func step() async throws -> Bool {
        var worked = false
        let pending = try await store.pendingEvents(limit: batchSize)
        if !pending.isEmpty {
            worked = true
            let events = pending.map { pending in
                var message: InboundMessage?
                do {
                    message = try InboundNormalizer.message(of: pending.event)
                } catch {
                    logger.error(
                        "stored event cannot be normalised; skipping it",
                        metadata: [
                            "sequence": "\(pending.sequence)", "source": "\(pending.event.source)", "error": "\(error)",
                        ])
                }
                return RoutableEvent(sequence: pending.sequence, receivedAt: pending.event.receivedAt, message: message)
            }
            let planner = self.planner
            let summary = try await store.apply(events, now: Date(), plan: { planner.plan($0) })
            logger.debug(
                "routed events",
                metadata: [
                    "events": "\(summary.events)", "assigned": "\(summary.assigned)", "waiting": "\(summary.waiting)",
                    "follow_ups": "\(summary.followUps)",
                ])
            if summary.assigned + summary.followUps > 0 { signals.deliveriesQueued() }
        }
        if signals.takeDispatchRequest() {
            worked = true
            let planner = self.planner
            let assigned: Int
            do {
                assigned = try await store.dispatchWaiting(now: Date(), plan: { planner.plan($0) })
            } catch {
                signals.requestDispatch()  // not done: keep the request for the retry
                throw error
            }
            if assigned > 0 {
                logger.info("offered waiting conversations", metadata: ["assigned": "\(assigned)"])
                signals.deliveriesQueued()
            }
        }
        return worked
    }
}
