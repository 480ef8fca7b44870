import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardStore

/// Applies committed inbound events in order, runs the engine's timers (offer deadlines, relax
/// steps, the end of a hold for a previous agent), and opens the follow-ups of promises that fall
/// due (looked for about once a second). The router's cursor is committed with the effects of the
/// events it covers.
struct RouterService: Service {
    let store: any RoutingStore
    let sources: InboundSources
    let dispatcher: Dispatcher
    let signals: RoutingSignals
    let logger: Logger
    /// Events per transaction: a backlog is applied in large transactions, so that one fsync covers many
    /// events. Acknowledgements do not wait for these: the inbound log is a separate file with its own writer.
    var batchSize = 500

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var promisesCheckedAt = Date.distantPast
            while !Task.isCancelled {
                do {
                    if Date().timeIntervalSince(promisesCheckedAt) >= 1 {
                        promisesCheckedAt = Date()
                        // Instances sharing a store learn of each other's offers and presence changes within this second.
                        try await dispatcher.refreshIfStale()
                        try await followUpDuePromises()
                    }
                    if try await step() == false {
                        let untilTimer = dispatcher.nextTimer.map { max(0, $0.timeIntervalSinceNow) } ?? 1
                        await signals.router.wait(timeout: .milliseconds(Int(min(1, untilTimer) * 1000) + 1))
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

    /// Opens and routes the follow-up of every promise due by now.
    func followUpDuePromises() async throws {
        guard let due = try await store.nextPromiseDue(), due <= Date() else { return }
        let opened = try await dispatcher.dispatchDuePromises()
        logger.info("promises fell due; follow-ups opened", metadata: ["count": "\(opened)"])
    }

    /// One unit of work: the timers that are due, then a batch of new events. False when there was nothing to do.
    func step() async throws -> Bool {
        var worked = false
        if let next = dispatcher.nextTimer, next <= Date() {
            try await dispatcher.tick()
            worked = true
        }
        let pending = try await store.pendingEvents(limit: batchSize)
        if !pending.isEmpty {
            worked = true
            var events: [RoutableEvent] = []
            for pending in pending {
                var message: InboundMessage?
                do {
                    message = try await sources.message(of: pending.event)
                } catch {
                    logger.error(
                        "stored event cannot be normalised; skipping it",
                        metadata: [
                            "sequence": "\(pending.sequence)", "source": "\(pending.event.source)", "error": "\(error)",
                        ])
                }
                events.append(RoutableEvent(sequence: pending.sequence, receivedAt: pending.event.receivedAt, message: message))
            }
            let summary = try await dispatcher.apply(events)
            logger.debug(
                "routed events",
                metadata: [
                    "events": "\(summary.events)", "offered": "\(summary.offered)", "waiting": "\(summary.waiting)",
                    "follow_ups": "\(summary.followUps)",
                ])
        }
        return worked
    }
}
