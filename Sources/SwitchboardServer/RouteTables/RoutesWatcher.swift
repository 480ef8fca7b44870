import Foundation
import Logging
import ServiceLifecycle

/// Every `interval`, puts in force a version another instance published, then looks at the routes
/// directory and loads a changed table: a valid change becomes the published version; an invalid one is
/// logged with its problems and the version in force stays.
struct RoutesWatcher: Service {
    let tables: RouteTables
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                    // A version another instance published comes first; then this instance's own directory.
                    try await tables.followPublished()
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
