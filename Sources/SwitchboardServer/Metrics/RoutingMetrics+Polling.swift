import Foundation
import Metrics
import SwitchboardPolling

extension RoutingMetrics: PollingObserver {
    public func polled(source: String, taken: Int, at: Date, lag: Duration?) {
        let dimensions = [("source", source)]
        if taken > 0 {
            Counter(label: RoutingMetricName.polledMessages, dimensions: dimensions, factory: factory).increment(by: taken)
        }
        Gauge(label: RoutingMetricName.pollLastSuccess, dimensions: dimensions, factory: factory)
            .record(at.timeIntervalSince1970)
        if let lag {
            let seconds = Double(lag.components.seconds) + Double(lag.components.attoseconds) / 1e18
            Gauge(label: RoutingMetricName.pollLag, dimensions: dimensions, factory: factory).record(seconds)
        }
    }

    public func pollFailed(source: String) {
        Counter(label: RoutingMetricName.pollErrors, dimensions: [("source", source)], factory: factory).increment()
    }
}
