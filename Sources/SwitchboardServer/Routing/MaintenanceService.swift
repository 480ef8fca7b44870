import Foundation
import Logging
import ServiceLifecycle
import SwitchboardStore

/// About once a minute until shutdown, empties the inbound bodies routed more than `retention` seconds ago
/// (a thousand at a time).
struct MaintenanceService: Service {
    let store: any SourceStore
    /// Seconds an inbound body is kept once routed.
    var retention: Double = 30 * 86_400
    let logger: Logger
    var interval: Duration = .seconds(1)
    /// Rounds between two prunings.
    var pruneEvery = 60

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var round = 0
            while !Task.isCancelled {
                do {
                    if round % pruneEvery == 0 { try await prune() }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("store maintenance failed; will retry", metadata: ["error": "\(error)"])
                }
                round += 1
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Empties the bodies past the retention, a thousand at a time, until none is left.
    func prune(now: Date = Date()) async throws {
        let cutoff = now.addingTimeInterval(-retention)
        var pruned = 0
        while true {
            let count = try await store.pruneInboundBodies(receivedBefore: cutoff, limit: 1_000)
            pruned += count
            if count < 1_000 || Task.isCancelled { break }
        }
        if pruned > 0 {
            logger.info("inbound bodies past their retention emptied", metadata: ["count": "\(pruned)"])
        }
    }
}
