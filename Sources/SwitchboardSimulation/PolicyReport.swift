/// What one policy made of the day.
public struct PolicyReport: Sendable, Hashable, Codable {
    public var policy: PolicyKind
    /// Conversations, promise follow-ups included.
    public var conversations: Int
    public var followUps: Int
    public var resolved: Int
    /// Customers who gave up before reaching an agent.
    public var abandoned: Int
    /// Conversations nobody on the roster can resolve (a skill level, permission or limit nobody has).
    public var unresolvable: Int
    /// Still open when the day's last agent left.
    public var unfinished: Int
    /// Transfers per conversation that reached an agent.
    public var transfersPerConversation: Double
    /// Share of those with 2 or more transfers.
    public var twoOrMoreTransfers: Double
    /// Transfers of conversations that an agent online when they arrived could have resolved.
    public var transfersWithinAuthority: Int
    /// Share of resolved conversations resolved by the first agent who had them.
    public var firstContactResolution: Double
    /// Seconds from the customer's first message to the agent who resolves it (resolved conversations).
    public var timeToResolver: Percentiles
    /// Share of resolved conversations that took more than 20 s to reach the agent who resolved them.
    public var over20Seconds: Double
    /// Held slot time over online slot time.
    public var occupancy: Double
    /// Share of conversations whose customer gave up.
    public var abandonment: Double
    /// The day in 15-minute steps.
    public var timeline: [TimelineStep]
    /// Wall-clock seconds the run took.
    public var seconds: Double

    public struct Percentiles: Sendable, Hashable, Codable {
        public var p50: Double
        public var p95: Double
        public var p99: Double

        /// Nearest-rank percentiles of `values` (all 0 when empty).
        init(_ values: [Double]) {
            let sorted = values.sorted()
            func rank(_ q: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                return sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
            }
            p50 = rank(0.5)
            p95 = rank(0.95)
            p99 = rank(0.99)
        }
    }

    public struct TimelineStep: Sendable, Hashable, Codable {
        /// Seconds after midnight at the start of the step.
        public var at: Double
        public var arrivals: Int
        /// p95 of time to the resolving agent for the conversations that arrived in the step; nil without any.
        public var timeToResolverP95: Double?
        /// Customers waiting for an agent at the start of the step.
        public var queue: Int
        public var transfers: Int
    }
}
