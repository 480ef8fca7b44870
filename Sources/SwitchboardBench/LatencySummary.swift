/// Percentiles of a set of latencies, by the nearest-rank method: the p-th percentile of n sorted
/// samples is the sample at rank ⌈p·n⌉ (1-based), so it is always a value that was measured.
public struct LatencySummary: Sendable, Equatable, Codable {
    /// How many samples there were.
    public var count: Int
    /// The median, in the unit of the samples.
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    public init(count: Int, p50: Double, p90: Double, p99: Double, max: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
    }

    /// Summarises `samples`; nil when there are none.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        count = sorted.count
        p50 = Self.percentile(0.50, ofSorted: sorted)
        p90 = Self.percentile(0.90, ofSorted: sorted)
        p99 = Self.percentile(0.99, ofSorted: sorted)
        max = sorted[sorted.count - 1]
    }

    /// The nearest-rank percentile `fraction` (0 < fraction ≤ 1) of samples sorted in ascending order.
    public static func percentile(_ fraction: Double, ofSorted sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "no samples")
        return sorted[rank(fraction, of: sorted.count) - 1]
    }

    /// The 1-based nearest rank of percentile `fraction` among `count` samples: ⌈fraction·count⌉, at least 1.
    public static func rank(_ fraction: Double, of count: Int) -> Int {
        // A tiny tolerance, so that 0.99 · 100 (99.00000000000001 in binary) is rank 99, not 100.
        Swift.max(1, Swift.min(count, Int((fraction * Double(count) - 1e-9).rounded(.up))))
    }
}
