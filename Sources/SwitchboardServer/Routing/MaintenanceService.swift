import Logging
import ServiceLifecycle
import SwitchboardStore

/// Runs the store's housekeeping about once a second until shutdown.
struct MaintenanceService: Service {
    let store: any Store
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await store.maintain()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("store maintenance failed; will retry", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
