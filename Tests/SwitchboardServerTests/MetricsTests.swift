import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardSQLite
import SwitchboardStore
import Testing

@testable import SwitchboardServer

/// Routing metrics as Prometheus reads them: exact samples parsed from the exposition, and `GET /metrics`.
@Suite("Metrics")
struct MetricsTests {
    static let refunds = (1...100).map { Duration.seconds($0) }
    static let general = [42, 4, 23, 8, 16, 15].map { Duration.seconds($0) }
    static let chat = [1_500, 250, 900].map { Duration.milliseconds($0) }

    /// Metrics with the accepted offers above, in random order, and a known set of declines, timeouts,
    /// transfers and resolutions.
    static func recorded(goal: Duration = .seconds(20), window: Int = 1_000) -> RoutingMetrics {
        let metrics = RoutingMetrics(goal: goal, window: window)
        let offers = refunds.map { ("refunds", $0) } + general.map { ("general", $0) } + chat.map { ("chat", $0) }
        for (route, time) in offers.shuffled() { metrics.offerAccepted(route: route, timeToAgent: time) }
        for route in ["refunds", "refunds", "refunds", "general"] { metrics.offerDeclined(route: route) }
        for route in ["refunds", "refunds"] { metrics.offerTimedOut(route: route) }
        for route in ["refunds", "general", "refunds", "refunds", "refunds"] { metrics.transferred(route: route) }
        let resolved: [(String?, Int)] = [("refunds", 0), ("refunds", 2), ("general", 1), ("refunds", 0), (nil, 7)]
        for (route, transfers) in resolved { metrics.conversationResolved(route: route, transfers: transfers) }
        return metrics
    }

    static func parsed(_ metrics: RoutingMetrics) throws -> PrometheusText {
        try PrometheusText(metrics.exposition())
    }

    // MARK: time to agent

    struct Quantile: Sendable, CustomTestStringConvertible {
        var route: String, quantile: String, seconds: Double
        var testDescription: String { "\(route) q\(quantile) = \(seconds) s" }
    }

    @Test(
        "p50 and p95 of time to agent per route, by nearest rank",
        arguments: [
            Quantile(route: "refunds", quantile: "0.5", seconds: 50),
            Quantile(route: "refunds", quantile: "0.95", seconds: 95),
            Quantile(route: "general", quantile: "0.5", seconds: 15),
            Quantile(route: "general", quantile: "0.95", seconds: 42),
            Quantile(route: "chat", quantile: "0.5", seconds: 0.9),
            Quantile(route: "chat", quantile: "0.95", seconds: 1.5),
        ])
    func quantile(_ expected: Quantile) throws {
        let text = try Self.parsed(Self.recorded())
        let labels = ["route": expected.route, "quantile": expected.quantile]
        #expect(text.value("switchboard_time_to_agent_seconds", labels) == expected.seconds)
        #expect(text.types["switchboard_time_to_agent_seconds"] == "summary")
    }

    @Test(
        "the summary's sum and count cover every accepted offer of the route",
        arguments: [("refunds", 5_050.0, 100.0), ("general", 108, 6), ("chat", 2.65, 3)])
    func summaryTotals(route: String, sum: Double, count: Double) throws {
        let text = try Self.parsed(Self.recorded())
        #expect(text.value("switchboard_time_to_agent_seconds_sum", ["route": route]) == sum)
        #expect(text.value("switchboard_time_to_agent_seconds_count", ["route": route]) == count)
    }

    @Test("the quantiles cover only the last `window` offers, the sum and count all of them")
    func slidingWindow() throws {
        let metrics = RoutingMetrics(window: 10)
        for time in Self.refunds { metrics.offerAccepted(route: "refunds", timeToAgent: time) }
        let text = try Self.parsed(metrics)
        let name = "switchboard_time_to_agent_seconds"
        #expect(text.value(name, ["route": "refunds", "quantile": "0.5"]) == 95)
        #expect(text.value(name, ["route": "refunds", "quantile": "0.95"]) == 100)
        #expect(text.value(name + "_count", ["route": "refunds"]) == 100)
        #expect(text.value(name + "_sum", ["route": "refunds"]) == 5_050)
    }

    @Test(
        "offers slower than the goal are counted, and the goal is a bucket bound of the histogram",
        arguments: [(Duration.seconds(20), 80.0), (.seconds(10), 90), (.milliseconds(12_500), 88)])
    func overGoal(goal: Duration, over: Double) throws {
        let text = try Self.parsed(Self.recorded(goal: goal))
        let goalSeconds = Double(goal.components.seconds) + Double(goal.components.attoseconds) / 1e18
        #expect(text.value("switchboard_time_to_agent_over_goal_total", ["route": "refunds"]) == over)
        #expect(text.types["switchboard_time_to_agent_over_goal_total"] == "counter")
        let bucket = text.samples.filter {
            $0.name == "switchboard_time_to_agent_histogram_seconds_bucket" && $0.labels["route"] == "refunds"
                && Double($0.labels["le"] ?? "") == goalSeconds
        }
        #expect(bucket.map(\.value) == [100 - over])
    }

    @Test("general has two offers over 20 s; chat has none, so no over-goal series")
    func overGoalPerRoute() throws {
        let text = try Self.parsed(Self.recorded())
        #expect(text.value("switchboard_time_to_agent_over_goal_total", ["route": "general"]) == 2)
        #expect(text.samples(ofFamily: "switchboard_time_to_agent_over_goal_total").count == 2)
    }

    @Test(
        "the time-to-agent histogram counts offers at or under each bound, in seconds",
        arguments: [("1.0", 1.0), ("5.0", 5), ("20.0", 20), ("45.0", 45), ("300.0", 100), ("+Inf", 100)])
    func histogram(le: String, count: Double) throws {
        let text = try Self.parsed(Self.recorded())
        let name = "switchboard_time_to_agent_histogram_seconds"
        #expect(text.value(name + "_bucket", ["route": "refunds", "le": le]) == count)
        #expect(text.value(name + "_sum", ["route": "refunds"]) == 5_050)
        #expect(text.types[name] == "histogram")
    }

    @Test("a negative time to agent (clock skew) counts as zero")
    func negative() throws {
        let metrics = RoutingMetrics()
        metrics.offerAccepted(route: "refunds", timeToAgent: .seconds(-5))
        let text = try Self.parsed(metrics)
        #expect(text.value("switchboard_time_to_agent_seconds", ["route": "refunds", "quantile": "0.5"]) == 0)
        #expect(text.value("switchboard_time_to_agent_histogram_seconds_sum", ["route": "refunds"]) == 0)
    }

    // MARK: offers and transfers

    @Test(
        "declined and timed-out offers and transfers are counted per route",
        arguments: [
            ("switchboard_offers_declined_total", "refunds", 3.0), ("switchboard_offers_declined_total", "general", 1),
            ("switchboard_offers_timed_out_total", "refunds", 2), ("switchboard_transfers_total", "refunds", 4),
            ("switchboard_transfers_total", "general", 1),
        ])
    func counter(name: String, route: String, count: Double) throws {
        let text = try Self.parsed(Self.recorded())
        #expect(text.value(name, ["route": route]) == count)
        #expect(text.types[name] == "counter")
    }

    @Test(
        "transfers per conversation at resolve: a histogram per route, route=\"\" when there was none",
        arguments: [
            ("refunds", "0.0", 2.0), ("refunds", "1.0", 2), ("refunds", "2.0", 3), ("refunds", "+Inf", 3),
            ("general", "0.0", 0), ("general", "1.0", 1), ("", "5.0", 0), ("", "10.0", 1), ("", "+Inf", 1),
        ])
    func transfersPerConversation(route: String, le: String, count: Double) throws {
        let text = try Self.parsed(Self.recorded())
        let name = "switchboard_conversation_transfers"
        #expect(text.value(name + "_bucket", ["route": route, "le": le]) == count)
        #expect(text.types[name] == "histogram")
    }

    @Test("the transfer histogram's sum and count")
    func transferTotals() throws {
        let text = try Self.parsed(Self.recorded())
        #expect(text.value("switchboard_conversation_transfers_sum", ["route": "refunds"]) == 2)
        #expect(text.value("switchboard_conversation_transfers_count", ["route": "refunds"]) == 3)
    }

    // MARK: exposition

    @Test("every sample belongs to a family with a TYPE line")
    func wellFormed() throws {
        let text = try Self.parsed(Self.recorded())
        #expect(
            Set(text.types.keys) == [
                "switchboard_time_to_agent_seconds", "switchboard_time_to_agent_histogram_seconds",
                "switchboard_time_to_agent_over_goal_total", "switchboard_offers_declined_total",
                "switchboard_offers_timed_out_total", "switchboard_transfers_total",
                "switchboard_conversation_transfers",
            ])
        let typed = text.types.keys.reduce(0) { $0 + text.samples(ofFamily: $1).count }
        #expect(typed == text.samples.count)
    }

    @Test("a route name with quotes, a backslash and a line feed is escaped and reads back unchanged")
    func escaping() throws {
        let metrics = RoutingMetrics()
        let route = "say \"hi\" \\ now\nplease"
        metrics.offerAccepted(route: route, timeToAgent: .seconds(3))
        let text = try Self.parsed(metrics)
        #expect(text.value("switchboard_time_to_agent_seconds", ["route": route, "quantile": "0.95"]) == 3)
        #expect(text.value("switchboard_time_to_agent_histogram_seconds_count", ["route": route]) == 1)
    }

    @Test("each RoutingMetrics has its own registry")
    func separateRegistries() throws {
        let recorded = Self.recorded()
        let fresh = RoutingMetrics()
        #expect(try Self.parsed(recorded).samples.count > 0)
        #expect(try Self.parsed(fresh).samples.isEmpty)
    }

    // MARK: GET /metrics

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    @Test(
        "GET /metrics refuses a missing or wrong token",
        arguments: [(nil, "missing bearer token"), ("Bearer not-the-token", "invalid bearer token")])
    func refused(authorization: String?, message: String) async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            var headers = HTTPFields()
            headers[.authorization] = authorization
            let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.text.contains(message))
        }
    }

    @Test("GET /metrics with the admin token: Prometheus text; before any offer the summary family, no overdue promise, and the engine built once at start")
    func scrapeEmpty() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let response = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(TestEnvironment.adminToken)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == Self.contentType)
            let text = try PrometheusText(response.text)
            #expect(
                text.types == [
                    "switchboard_time_to_agent_seconds": "summary", "switchboard_promises_overdue": "gauge",
                    "switchboard_engine_rebuilds_total": "counter",
                ])
            #expect(text.helps["switchboard_time_to_agent_seconds"]?.contains("nearest rank") == true)
            #expect(text.samples.map(\.name).sorted() == ["switchboard_engine_rebuilds_total", "switchboard_promises_overdue"])
            #expect(text.value("switchboard_promises_overdue") == 0)
            #expect(text.value("switchboard_engine_rebuilds_total", ["reason": "start"]) == 1)
        }
    }

    @Test("the controller serves what was recorded after it was mounted")
    func scrapeRecorded() async throws {
        let metrics = RoutingMetrics()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        let router = Router(context: AppRequestContext.self)
        router.addRoutes(MetricsController(metrics: metrics, store: store).routes, atPath: "/metrics")
        try await Application(router: router).test(.router) { client in
            metrics.offerAccepted(route: "refunds", timeToAgent: .seconds(7))
            metrics.offerDeclined(route: "refunds")
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType] == Self.contentType)
            let text = try PrometheusText(response.text)
            #expect(text.value("switchboard_time_to_agent_seconds", ["route": "refunds", "quantile": "0.5"]) == 7)
            #expect(text.value("switchboard_offers_declined_total", ["route": "refunds"]) == 1)
            #expect(text.value("switchboard_promises_overdue", [:]) == 0)
        }
    }
}
