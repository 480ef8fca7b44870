import Foundation
import Logging
import ServiceLifecycle

/// Looks at the routes directory every `interval` and loads a changed table: a valid change becomes the
/// published version; an invalid one is logged with its problems and the version in force stays.
struct RoutesWatcher: Service {
    let tables: RouteTables
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                    try await tables.reloadFiles()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("could not look at the routes directory; trying again", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
