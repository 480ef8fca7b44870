/// When a rate counts as sustained: every conversation handed off, and the p99 of webhook→handoff
/// under a limit (100 ms unless told). A conversation never handed off counts as infinitely slow.
public struct SustainCriterion: Sendable, Equatable {
    /// The p99 must be strictly below this, in milliseconds.
    public var p99LimitMilliseconds: Double

    public init(p99LimitMilliseconds: Double = 100) {
        self.p99LimitMilliseconds = p99LimitMilliseconds
    }

    /// Whether a run of `total` conversations, of which those in `latencies` (milliseconds) were handed
    /// off, sustained its rate.
    public func passes(latencies: [Double], total: Int) -> Bool {
        guard total > 0, latencies.count >= total, let summary = LatencySummary(latencies) else { return false }
        return summary.p99 < p99LimitMilliseconds
    }

    /// How many of `total` conversations may take the limit or longer (or never arrive) with the p99 still
    /// under it: the samples ranked above the p99's nearest rank.
    public func allowedSlow(of total: Int) -> Int {
        total - LatencySummary.rank(0.99, of: total)
    }

    /// Whether the run has certainly failed already: more conversations took at least the limit, or are
    /// still waiting after it, than ``allowedSlow(of:)`` lets through. Lets a search stop a hopeless step early.
    public func hasFailed(slowSoFar: Int, total: Int) -> Bool {
        slowSoFar > allowedSlow(of: total)
    }
}
