import Hummingbird
import SwitchboardCore

extension ServerParts {
    /// Every HTTP endpoint: health, the OpenAPI document, inbound webhooks, the bearer-token API,
    /// metrics and the admin pages.
    func router() async throws -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.get("/health") { _, _ in ["status": "ok"] }
        router.addRoutes(try OpenAPIController.load().routes, atPath: "/openapi.json")
        let throttle = AuthThrottle(
            maxFailures: config.auth.maxFailures, window: config.auth.windowSeconds, store: store, metrics: metrics)
        router.addRoutes(
            InboundController(
                sources: sources, store: store, signals: signals, metrics: metrics,
                maxBodyBytes: config.inbound.maxBodyBytes, logger: logger, throttle: throttle
            ).routes, atPath: "/v1/inbound")
        let tokens = BearerTokenMiddleware(
            admin: config.adminTokens, viewer: config.viewerTokens, desks: deskTokens, store: store, throttle: throttle)
        let api = router.group("/v1").add(middleware: tokens)
        api.addRoutes(
            AgentsController(store: store, dispatcher: dispatcher, outbound: config.outbound.policy).routes, atPath: "/agents")
        api.addRoutes(ConversationsController(store: store, dispatcher: dispatcher).routes, atPath: "/conversations")
        api.addRoutes(HandoffsController(dispatcher: dispatcher).routes, atPath: "/handoffs")
        api.addRoutes(CustomersController(store: store).routes, atPath: "/customers")
        api.addRoutes(RoutesController(tables: routeTables).routes, atPath: "/routes")
        api.addRoutes(AuditController(tables: routeTables, store: store).routes, atPath: "/audit")
        let issuer = DeskTokenIssuer(store: store, declared: deskTokens)
        api.addRoutes(DeskTokensController(issuer: issuer).routes, atPath: "/desk-tokens")
        router.group("/metrics").add(middleware: tokens)
            .addRoutes(MetricsController(metrics: metrics, store: store, writeBacks: !writeBacks.isEmpty).routes)
        let pages = try await AdminPages.load()
        router.group("/admin", context: AdminRequestContext.self)
            .add(middleware: AdminGuardMiddleware(pages: pages))
            .addRoutes(
                AdminController(
                    store: store, dispatcher: dispatcher, tables: routeTables,
                    sessions: AdminSessions(lifetime: config.admin.sessionSeconds, store: store), tokens: AdminTokens(config.adminTokens),
                    deskTokens: issuer, throttle: throttle,
                    pages: pages, scenario: config.admin.scenario, logger: logger
                ).routes)
        // After every route: each is documented in openapi.json (OpenAPITests compares this list with it).
        logger.debug("routes registered", metadata: ["routes": .array(router.routes.map { .string($0.description) })])
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }
}
