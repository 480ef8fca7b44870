import Curl
import Foundation
import Logging
import SwitchboardConfig
import SwitchboardCore
import SwitchboardDelivery
import SwitchboardStore

/// What one server is made of, read from the configuration and its files: the sources, agents and
/// routing table (checked here, so that a bad file stops the start with file and line), the store, the
/// dispatcher and the route tables. The HTTP routes and the services are built from these
/// (`ServerParts+Router`, `ServerParts+Services`).
struct ServerParts {
    let config: SwitchboardConfiguration
    let logger: Logger
    let client: CurlClient
    let sources: InboundSources
    let matrix: MatrixSources
    let writeBacks: [String: WriteBackTarget]
    /// This instance's name among those sharing a store: the holder of its claims and leases.
    let instance: String
    let agents: [Agent]
    /// The desk tokens the agents file declares.
    let deskTokens: [DeskTokenSettings]
    /// The routes directory as read, and its table.
    let routeFiles: [RouteFile]
    let table: RoutingTable
    let store: any Store
    let signals = RoutingSignals()
    let metrics = RoutingMetrics()
    let dispatcher: Dispatcher
    let routeTables: RouteTables
    let gate = StartUpGate()

    init(_ config: SwitchboardConfiguration, logger: Logger) throws {
        self.config = config
        self.logger = logger
        let agentsFile = try AgentsLoader.loadFile(
            path: config.agents, sources: config.sources, serverHost: config.server.host, outbound: config.outbound.policy)
        agents = agentsFile.agents
        deskTokens = agentsFile.deskTokens
        routeFiles = try RoutesLoader.files(directory: config.routes)
        table = try RoutesLoader.parse(routeFiles, directory: config.routes)
        client = CurlClient(policy: config.outbound.policy)
        sources = try InboundSources(
            config.sources, tolerance: .seconds(config.inbound.toleranceSeconds), client: client, logger: logger)
        matrix = MatrixSources(config.sources, client: client)
        // A matrix source always writes back: its notice naming the agent.
        writeBacks = WriteBackTarget.targets(of: config.sources).merging(matrix.writeBackTargets) { $1 }
        instance = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/"
            + UUID().uuidString.prefix(8).lowercased()
        store = try Self.openStore(config, writeBackSources: Set(writeBacks.keys), instance: instance, logger: logger)
        dispatcher = Dispatcher(
            store: store, signals: signals, metrics: metrics, followUpWait: config.memory.followUpWaitSeconds,
            matchLimit: config.routing.matchTextBytes, logger: logger)
        routeTables = RouteTables(
            store: store, directory: config.routes, dispatcher: dispatcher, sources: sources, logger: logger)
        if config.adminTokens.isEmpty {
            logger.warning(
                "no admin_tokens configured: the agent and conversation APIs and the /admin page will refuse every call")
        }
    }

    /// The start-up work on the store, before the server listens: migrations, the agents, the routing
    /// table reconciled with the published versions, the engine built and the first offers made.
    func startUp() async throws {
        try await store.prepare()
        try await store.upsertAgents(agents)
        let table = try await routeTables.reconcile(files: routeFiles, table: table)
        try await dispatcher.start(table: table)
    }

    func logConfigured() {
        // Each target describes itself by platform and URL, never by its token.
        let writeBackSummary = writeBacks.sorted { $0.key < $1.key }.map { "\($0.key) to \($0.value)" }
            .joined(separator: "; ")
        logger.info(
            "switchboard configured",
            metadata: [
                "routes": "\(table.routes.map(\.name).joined(separator: ","))", "agents": "\(agents.count)",
                "sources": "\(config.sources.map(\.name).sorted().joined(separator: ","))",
                "write_backs": "\(writeBackSummary)",
                "store": "\(config.storage.summary)",
            ])
    }
}
