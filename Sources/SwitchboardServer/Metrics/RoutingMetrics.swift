import Metrics
import Prometheus
import Synchronization

/// The one place the router records routing measurements, exported by ``exposition()`` in the Prometheus text
/// format (served at `GET /metrics`).
///
/// Each instance owns its collector registry, so every application, and every test, has its own metrics; nothing
/// goes through the process-wide `MetricsSystem.bootstrap`. Counters and histograms are swift-metrics `Counter`,
/// `Timer` and `Recorder` values made by a `PrometheusMetricsFactory` over that registry, which renders them.
/// swift-prometheus has no summary type, so the p50 and p95 of time to agent are computed here, by nearest rank
/// over the last `window` accepted offers of each route, and rendered after the registry's families.
public final class RoutingMetrics: Sendable {
    /// Accepted offers slower than this count in `switchboard_time_to_agent_over_goal_total`.
    public let goal: Duration
    /// The registry the counters and histograms live in.
    public let registry: PrometheusCollectorRegistry
    /// The quantiles of the summary, as (label, percent).
    static let quantiles: [(label: String, percent: Int)] = [("0.5", 50), ("0.95", 95)]
    /// The bounds of the time-to-agent histogram, in seconds, before the goal is added.
    static let timeToAgentBuckets: [Int64] = [1, 2, 5, 10, 15, 20, 30, 45, 60, 120, 300]
    /// The bounds of the transfers-per-conversation histogram: 0 is the one-hop ideal.
    static let transferBuckets: [Double] = [0, 1, 2, 3, 5, 10]

    /// Makes the counters and histograms over ``registry``.
    let factory: PrometheusMetricsFactory
    /// How many recent accepted offers per route the quantiles are computed over.
    let windowSize: Int
    private let windows = Mutex<[String: TimeToAgentWindow]>([:])

    /// - Parameters:
    ///   - goal: the time-to-agent goal; also a bucket bound of the time-to-agent histogram.
    ///   - window: how many recent accepted offers per route the p50 and p95 are computed over.
    ///   - registry: where the counters and histograms are registered; a fresh one by default.
    public init(
        goal: Duration = .seconds(20), window: Int = 1_000,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        precondition(window > 0, "the time-to-agent window must hold at least one offer")
        self.goal = goal
        self.windowSize = window
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        let bounds = Set(Self.timeToAgentBuckets.map { Duration.seconds($0) } + [goal]).sorted()
        factory.durationHistogramBuckets[RoutingMetricName.timeToAgentHistogram] = bounds
        factory.valueHistogramBuckets[RoutingMetricName.transfersPerConversation] = Self.transferBuckets
        self.factory = factory
    }

    /// An offer was accepted: time from the customer's first message to the accepted offer, per route.
    /// A negative duration (clock skew between a platform and this server) counts as zero.
    public func offerAccepted(route: String, timeToAgent: Duration) {
        let value = max(timeToAgent, .zero)
        let dimensions = [("route", route)]
        Timer(label: RoutingMetricName.timeToAgentHistogram, dimensions: dimensions, factory: factory)
            .record(duration: value)
        if value > goal {
            Counter(label: RoutingMetricName.overGoal, dimensions: dimensions, factory: factory).increment()
        }
        let capacity = windowSize
        windows.withLock { $0[route, default: TimeToAgentWindow(capacity: capacity)].record(value) }
    }

    /// A failed authentication: `bearer`, `admin sign-in` or `inbound`.
    func authFailed(kind: String) {
        Counter(label: RoutingMetricName.authFailures, dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// A call refused with 429 because its address or secret failed too often.
    func authThrottled(kind: String) {
        Counter(label: RoutingMetricName.authThrottled, dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// A platform sent an event Switchboard does not route (an unknown type, a bot's own message).
    public func inboundIgnored(source: String, type: String) {
        Counter(label: RoutingMetricName.inboundIgnored, dimensions: [("source", source), ("type", type)], factory: factory)
            .increment()
    }

    /// How many promises are past due and not kept, as of now.
    public func promisesOverdue(_ count: Int) {
        Gauge(label: RoutingMetricName.promisesOverdue, factory: factory).record(count)
    }

    /// The routing engine was rebuilt from the store (see ``RoutingMetricName/engineRebuilds`` for the reasons).
    func engineRebuilt(reason: EngineRebuild) {
        Counter(label: RoutingMetricName.engineRebuilds, dimensions: [("reason", reason.rawValue)], factory: factory)
            .increment()
    }

    /// The engine caught up with another instance's changes instead of being rebuilt.
    func engineCaughtUp() {
        Counter(label: RoutingMetricName.engineCatchUps, factory: factory).increment()
    }

    /// An offer was declined by the agent (reason given).
    public func offerDeclined(route: String) {
        Counter(label: RoutingMetricName.offersDeclined, dimensions: [("route", route)], factory: factory).increment()
    }

    /// An offer went unanswered past its offer_timeout.
    public func offerTimedOut(route: String) {
        Counter(label: RoutingMetricName.offersTimedOut, dimensions: [("route", route)], factory: factory).increment()
    }

    /// A conversation moved from one agent to another (escalation or explicit transfer).
    public func transferred(route: String) {
        Counter(label: RoutingMetricName.transfers, dimensions: [("route", route)], factory: factory).increment()
    }

    /// A conversation was resolved after `transfers` hops. Without a route it is recorded with `route=""`, which
    /// Prometheus reads as no route label (a family cannot mix labelled and unlabelled series).
    public func conversationResolved(route: String?, transfers: Int) {
        Recorder(
            label: RoutingMetricName.transfersPerConversation, dimensions: [("route", route ?? "")], aggregate: true,
            factory: factory
        ).record(max(transfers, 0))
    }

    /// Every metric in the Prometheus text format (version 0.0.4): the registry's families, then the time-to-agent
    /// summary, whose HELP and TYPE lines are there even before the first accepted offer.
    public func exposition() -> String {
        let windows = windows.withLock { $0 }
        return registry.emitToString() + summary(of: windows)
    }
}
