import Prometheus

extension RoutingMetrics {
    /// Renders the time-to-agent summary, since swift-prometheus has none: per route, the nearest-rank quantiles
    /// over the recent window, and `_sum` and `_count` over all accepted offers. Durations are written in seconds
    /// the way swift-prometheus writes its histograms (`Duration.bucketRepresentation`).
    func summary(of windows: [String: TimeToAgentWindow]) -> String {
        let name = RoutingMetricName.timeToAgent
        let quantiles = Self.quantiles
        var text = """
            # HELP \(name) Time from the customer's first message to the accepted offer, per route; \
            quantiles by nearest rank over the last \(windowSize) accepted offers of the route.
            # TYPE \(name) summary

            """
        for route in windows.keys.sorted() {
            guard let window = windows[route], let values = window.quantiles(percents: quantiles.map(\.percent))
            else { continue }
            let labels = "route=\"\(Self.escapedLabelValue(route))\""
            for (quantile, value) in zip(quantiles, values) {
                text += "\(name){\(labels),quantile=\"\(quantile.label)\"} \(value.bucketRepresentation)\n"
            }
            text += "\(name)_sum{\(labels)} \(window.sum.bucketRepresentation)\n"
            text += "\(name)_count{\(labels)} \(window.count)\n"
        }
        return text
    }

    /// A label value with backslash, double quote and line feed escaped, as the text format requires.
    static func escapedLabelValue(_ value: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: #"\\"#.unicodeScalars)
            case "\"": escaped.append(contentsOf: #"\""#.unicodeScalars)
            case "\n": escaped.append(contentsOf: #"\n"#.unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
