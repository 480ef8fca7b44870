import Foundation
import Logging
import ServiceLifecycle
import SwitchboardStore

/// Runs one ``Poller`` next to the HTTP server: poll, commit the batch with its cursor, wake the
/// router, wait `interval` (or poll again at once when more is waiting).
///
/// Errors back off with full jitter (1 s doubling to `maxBackoff`) and are logged with the source
/// named; a broken credential never stops the server, it is retried. A graceful shutdown (SIGTERM)
/// cancels a poll in flight; the batch it was fetching is not committed, and is fetched again.
public struct PollingService: Service {
    let source: String
    let poller: any Poller
    let store: any Store
    let interval: Duration
    let maxBackoff: Duration
    let observer: any PollingObserver
    /// Called after a batch with new messages commits, to wake the router.
    let appended: @Sendable () -> Void
    let logger: Logger

    public init(
        source: String, poller: any Poller, store: any Store, interval: Duration, maxBackoff: Duration = .seconds(60),
        observer: any PollingObserver, appended: @escaping @Sendable () -> Void, logger: Logger
    ) {
        self.source = source
        self.poller = poller
        self.store = store
        self.interval = interval
        self.maxBackoff = maxBackoff
        self.observer = observer
        self.appended = appended
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do {
                    let more = try await pollOnce()
                    failures = 0
                    if !more { try await Task.sleep(for: interval) }
                } catch is CancellationError {
                    return
                } catch {
                    failures += 1
                    observer.pollFailed(source: source)
                    let wait = Self.backoff(failures: failures, max: maxBackoff)
                    logger.error(
                        "polling failed; retrying",
                        metadata: ["source": "\(source)", "error": "\(error)", "retry_in": "\(wait)"])
                    do { try await Task.sleep(for: wait) } catch { return }
                }
            }
        }
    }

    /// One poll and its commit; returns whether more is waiting.
    public func pollOnce() async throws -> Bool {
        let cursor = try await store.pollCursor(source: source)
        let batch = try await poller.poll(cursor: cursor)
        try Task.checkCancellation()
        let outcomes = try await store.appendPolled(batch.events, source: source, cursor: batch.cursor, now: Date())
        let taken = outcomes.filter { if case .stored = $0 { true } else { false } }.count
        observer.polled(source: source, taken: taken, at: Date(), lag: batch.lag)
        if taken > 0 {
            appended()
            logger.info("polled messages", metadata: ["source": "\(source)", "taken": "\(taken)"])
        }
        return batch.more
    }

    /// Full jitter: a random wait up to 1 s × 2^(failures-1), capped.
    static func backoff(failures: Int, max: Duration) -> Duration {
        let ceiling = min(Double(1 << min(failures - 1, 16)), Double(max.components.seconds))
        return .milliseconds(Int64(Double.random(in: 0.5...1) * ceiling * 1000))
    }
}
