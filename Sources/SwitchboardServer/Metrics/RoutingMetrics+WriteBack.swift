import Metrics
import SwitchboardDelivery

/// Write-backs to the platforms: done, failed attempts, given up and skipped, by source; pending at each scrape.
extension RoutingMetrics: WriteBackObserver {
    public func writeBackDone(source: String) {
        Counter(label: RoutingMetricName.writeBacksDone, dimensions: [("source", source)], factory: factory).increment()
    }

    public func writeBackFailed(source: String) {
        Counter(label: RoutingMetricName.writeBacksFailed, dimensions: [("source", source)], factory: factory)
            .increment()
    }

    public func writeBackGivenUp(source: String) {
        Counter(label: RoutingMetricName.writeBacksGivenUp, dimensions: [("source", source)], factory: factory)
            .increment()
    }

    public func writeBackSkipped(source: String, reason: String) {
        Counter(
            label: RoutingMetricName.writeBacksSkipped, dimensions: [("source", source), ("reason", reason)],
            factory: factory
        ).increment()
    }

    /// How many write-backs wait for an attempt or a retry, as of now.
    public func writeBacksPending(_ count: Int) {
        Gauge(label: RoutingMetricName.writeBacksPending, factory: factory).record(count)
    }
}
