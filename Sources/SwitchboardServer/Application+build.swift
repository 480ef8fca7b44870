import Curl
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchboardConfig
import SwitchboardCore
import SwitchboardDelivery
import SwitchboardPolling
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardStore

/// Builds the whole server from a configuration: loads and validates the routing tables and the
/// agents (throwing `ConfigErrors` that name file, line and problem), opens the store, and wires the
/// HTTP endpoints, the router and delivery into one application. `switchboard serve` and the
/// tests call this same function.
public func buildApplication(
    configuration config: SwitchboardConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let openAPI = try OpenAPIController.load()
    let agents = try AgentsLoader.load(path: config.agents, sources: config.sources)
    let tolerance = Duration.seconds(config.inbound.toleranceSeconds)
    let client = CurlClient()
    let sources = try InboundSources(config.sources, tolerance: tolerance, client: client, logger: logger)

    let matrix = MatrixSources(config.sources, client: client)
    // A matrix source always writes back: its notice naming the agent.
    let writeBacks = WriteBackTarget.targets(of: config.sources).merging(matrix.writeBackTargets) { $1 }
    // This instance's name among those sharing a store: the holder of its claims and leases.
    let instance = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/"
        + UUID().uuidString.prefix(8).lowercased()
    let lease = config.storage.postgres.isEmpty ? nil : PollingLease(holder: instance, seconds: config.instances.leaseSeconds)
    let limits = HistoryLimits(entries: config.memory.historyEntries, characters: config.memory.historyCharacters)
    let store: any Store =
        config.storage.postgres.isEmpty
        ? try SQLiteStore(
            path: config.storage.sqlite, historyLimits: limits, writeBackSources: Set(writeBacks.keys), logger: logger)
        : try await PostgresStore(
            url: config.storage.postgres, historyLimits: limits, writeBackSources: Set(writeBacks.keys),
            instance: instance, claimSeconds: config.instances.leaseSeconds, logger: logger)
    try await store.upsertAgents(agents)
    if config.adminTokens.isEmpty {
        logger.warning(
            "no admin_tokens configured: the agent and conversation APIs and the /admin page will refuse every call")
    }
    let (table, tableVersion) = try await RouteTables.startingTable(
        store: store, directory: config.routes, logger: logger)

    let signals = RoutingSignals()
    let metrics = RoutingMetrics()
    let dispatcher = Dispatcher(
        store: store, table: table, signals: signals, metrics: metrics, followUpWait: config.memory.followUpWaitSeconds,
        logger: logger)
    try await dispatcher.start()
    let routeTables = RouteTables(
        store: store, directory: config.routes, dispatcher: dispatcher, sources: sources,
        inForce: tableVersion, logger: logger)
    let router = Router(context: AppRequestContext.self)
    router.get("/health") { _, _ in ["status": "ok"] }
    router.addRoutes(openAPI.routes, atPath: "/openapi.json")
    router.addRoutes(
        InboundController(
            sources: sources, store: store, signals: signals, metrics: metrics, maxBodyBytes: config.inbound.maxBodyBytes,
            logger: logger
        ).routes, atPath: "/v1/inbound")
    let tokens = BearerTokenMiddleware<AppRequestContext>(
        admin: config.adminTokens, viewer: config.viewerTokens,
        isRead: { $0.method == .get || $0.method == .head || RoutesController.readOnlyPaths.contains($0.uri.path) })
    let api = router.group("/v1").add(middleware: tokens)
    api.addRoutes(AgentsController(store: store, dispatcher: dispatcher).routes, atPath: "/agents")
    api.addRoutes(ConversationsController(store: store, dispatcher: dispatcher).routes, atPath: "/conversations")
    api.addRoutes(HandoffsController(dispatcher: dispatcher).routes, atPath: "/handoffs")
    api.addRoutes(CustomersController(store: store).routes, atPath: "/customers")
    api.addRoutes(RoutesController(tables: routeTables).routes, atPath: "/routes")
    api.addRoutes(AuditController(tables: routeTables).routes, atPath: "/audit")
    router.group("/metrics").add(middleware: tokens)
        .addRoutes(MetricsController(metrics: metrics, store: store, writeBacks: !writeBacks.isEmpty).routes)
    let pages = try await AdminPages.load()
    router.group("/admin", context: AdminRequestContext.self)
        .add(middleware: AdminGuardMiddleware(pages: pages))
        .addRoutes(
            AdminController(
                store: store, dispatcher: dispatcher, tables: routeTables,
                sessions: AdminSessions(lifetime: config.admin.sessionSeconds), tokens: AdminTokens(config.adminTokens),
                pages: pages, logger: logger
            ).routes)
    // After every route: each is documented in openapi.json (OpenAPITests compares this list with it).
    logger.debug("routes registered", metadata: ["routes": .array(router.routes.map { .string($0.description) })])
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))

    let policy = DeliveryPolicy(
        timeout: .milliseconds(Int(config.delivery.timeoutSeconds * 1000)),
        initialBackoff: .milliseconds(Int(config.delivery.initialBackoffSeconds * 1000)),
        maxBackoff: .milliseconds(Int(config.delivery.maxBackoffSeconds * 1000)))
    var services: [any Service] = [
        CurlClientService(client: client),
        DeliveryService(store: store, client: client, wake: signals.delivery, policy: policy, logger: logger),
        WriteBackService(
            store: store, client: client, targets: writeBacks, wake: signals.writeBack, policy: policy,
            observer: metrics, logger: logger),
        RouterService(store: store, sources: sources, dispatcher: dispatcher, signals: signals, logger: logger),
        MaintenanceService(store: store, logger: logger),
        RoutesWatcher(
            tables: routeTables, interval: .milliseconds(Int(config.routesReloadSeconds * 1000)), logger: logger),
    ]
    services += matrix.services(
        store: store, observer: metrics, appended: { signals.eventsAppended() }, lease: lease, logger: logger)
        as [any Service]
    services += imapPollingServices(
        sources: config.sources, store: store, client: client, signals: signals, metrics: metrics, lease: lease,
        logger: logger)
    // Each target describes itself by platform and URL, never by its token.
    let writeBackSummary = writeBacks.sorted { $0.key < $1.key }.map { "\($0.key) to \($0.value)" }.joined(separator: "; ")
    logger.info(
        "switchboard configured",
        metadata: [
            "routes": "\(table.routes.map(\.name).joined(separator: ","))", "agents": "\(agents.count)",
            "sources": "\(config.sources.map(\.name).sorted().joined(separator: ","))",
            "write_backs": "\(writeBackSummary)",
            "store": "\(config.storage.summary)",
        ])
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.server.host, port: config.server.port), serverName: "Switchboard"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.server.port) },
        logger: logger)
}

/// Shuts the shared libcurl client down once everything that uses it has stopped.
struct CurlClientService: Service {
    let client: CurlClient

    func run() async throws {
        try? await gracefulShutdown()
        client.shutdown()
    }
}
