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
///
/// With a ``PollingLease`` (instances sharing one store), only the holder of the source's lease polls:
/// it renews the lease before every poll and gives it up on a graceful shutdown. The others look for it
/// about once a second and take it when it runs out, carrying on from the committed cursor.
public struct PollingService: Service {
    let source: String
    let poller: any Poller
    let store: any SourceStore
    let interval: Duration
    let maxBackoff: Duration
    let observer: any PollingObserver
    /// Called after a batch with new messages commits, to wake the router.
    let appended: @Sendable () -> Void
    /// Who polls, when several instances share the store; nil when this one always does.
    let lease: PollingLease?
    let logger: Logger

    public init(
        source: String, poller: any Poller, store: any SourceStore, interval: Duration, maxBackoff: Duration = .seconds(60),
        observer: any PollingObserver, appended: @escaping @Sendable () -> Void, lease: PollingLease? = nil,
        logger: Logger
    ) {
        self.lease = lease
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
            var holding = false
            while !Task.isCancelled {
                do {
                    if let lease {
                        let held = try await store.acquireLease(
                            lease.name(of: source), holder: lease.holder, for: lease.seconds, now: Date())
                        if held != holding {
                            holding = held
                            logger.info(
                                held ? "polling: this instance holds the source's lease" : "polling: another instance holds the source's lease now",
                                metadata: ["source": "\(source)", "instance": "\(lease.holder)"])
                        }
                        guard held else {
                            try await Task.sleep(for: PollingLease.retry)
                            continue
                        }
                    }
                    let more = try await pollOnce()
                    failures = 0
                    if !more { try await Task.sleep(for: interval) }
                } catch is CancellationError {
                    break
                } catch {
                    failures += 1
                    observer.pollFailed(source: source)
                    let wait = Self.backoff(failures: failures, max: maxBackoff)
                    logger.error(
                        "polling failed; retrying",
                        metadata: ["source": "\(source)", "error": "\(error)", "retry_in": "\(wait)"])
                    do { try await Task.sleep(for: wait) } catch { break }
                }
            }
            if let lease, holding {
                // Shutting down: another instance may take the source at once instead of when the lease runs out.
                try? await store.releaseLease(lease.name(of: source), holder: lease.holder)
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

/// Which instance polls a source when several share one store: the holder of the source's lease.
public struct PollingLease: Sendable {
    /// This instance's name among those sharing the store.
    public var holder: String
    /// How long a lease lasts without renewal: how soon another instance takes over a source whose poller died.
    /// Longer than one poll (a Matrix long-poll waits up to 25 s).
    public var seconds: Double
    /// How often an instance without the lease looks whether it ran out.
    static let retry = Duration.seconds(1)

    public init(holder: String, seconds: Double) {
        self.holder = holder
        self.seconds = seconds
    }

    /// `poll:` and the source's name.
    func name(of source: String) -> String { "poll:\(source)" }
}
