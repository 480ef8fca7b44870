import Foundation
import Hummingbird
import SwitchboardStore

/// `GET /metrics`: the routing metrics in the Prometheus text format, for a scraper holding an admin token.
struct MetricsController {
    let metrics: RoutingMetrics
    let store: any RoutingStore & DeliveryStore
    /// Whether any source has write-back: only then is `switchboard_write_backs_pending` exported.
    var writeBacks = false

    /// The content type of the Prometheus text exposition format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: scrape)
        return routes
    }

    @Sendable func scrape(request: Request, context: AppRequestContext) async throws -> Response {
        metrics.promisesOverdue(try await store.overduePromises(now: Date()))
        if writeBacks { metrics.writeBacksPending(try await store.pendingWriteBacks()) }
        return Response(
            status: .ok, headers: [.contentType: Self.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }
}
