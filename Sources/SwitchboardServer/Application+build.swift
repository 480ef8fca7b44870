import Curl
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import SwitchboardConfig
import SwitchboardCore
import SwitchboardDelivery
import SwitchboardPolling
import SwitchboardStore

/// Builds the whole server from a configuration: loads and validates the routing tables and the
/// agents (throwing `ConfigErrors` that name file, line and problem), opens the store, and wires the
/// HTTP endpoints, the router and delivery into one application. `switchboard serve` and the
/// tests call this same function.
///
/// Nothing here waits on the store's server. The work that does (PostgreSQL's migrations, the agents,
/// reconciling the routing table with the published versions, the engine) runs when the application
/// starts, before it listens; the services that use the store wait for it (``StartUpGate``).
public func buildApplication(
    configuration config: SwitchboardConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let parts = try ServerParts(config, logger: logger)
    let server = config.server
    let deadlines = RequestDeadlines(
        head: .milliseconds(Int64(server.headTimeoutSeconds * 1000)), body: .milliseconds(Int64(server.bodyTimeoutSeconds * 1000)))
    var app = Application(
        router: try await parts.router(),
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: deadlines.handlers(),
                idleTimeout: .milliseconds(Int64(server.idleTimeoutSeconds * 1000)))),
        configuration: .init(
            address: .hostname(server.host, port: server.port), serverName: "Switchboard",
            availableConnectionsDelegate: MaximumAvailableConnections(server.maxConnections, logger: logger)),
        services: parts.services(),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.server.port) },
        logger: logger)
    app.beforeServerStarts {
        do {
            try await parts.startUp()
            parts.gate.open()
        } catch {
            parts.gate.fail(error)
            throw error
        }
    }
    parts.logConfigured()
    return app
}

/// Shuts the shared libcurl client down once everything that uses it has stopped.
struct CurlClientService: Service {
    let client: CurlClient

    func run() async throws {
        try? await gracefulShutdown()
        client.shutdown()
    }
}
