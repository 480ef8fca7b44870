/// The time-to-agent observations of one route: the most recent `capacity` of them, kept for quantiles, and the
/// running sum and count of all of them.
struct TimeToAgentWindow: Sendable {
    /// How many recent observations are kept.
    let capacity: Int
    /// The kept observations, in ring order: once full, `oldest` is where the next one goes.
    private var recent: [Duration] = []
    private var oldest = 0
    /// The number of all observations, including those that left the window.
    private(set) var count = 0
    /// The sum of all observations, including those that left the window.
    private(set) var sum = Duration.zero

    init(capacity: Int) {
        precondition(capacity > 0, "a time-to-agent window needs room for at least one observation")
        self.capacity = capacity
        recent.reserveCapacity(min(capacity, 1_024))
    }

    mutating func record(_ value: Duration) {
        if recent.count < capacity {
            recent.append(value)
        } else {
            recent[oldest] = value
            oldest = (oldest + 1) % capacity
        }
        count += 1
        sum += value
    }

    /// The quantiles of the kept observations by the nearest-rank method: for `percent` p of n sorted values, the
    /// value at 1-based rank ⌈p·n/100⌉ (at least 1), that is the smallest kept value such that at least p % of the
    /// kept values are less than or equal to it. Always one of the observed values; integer arithmetic, so 95 % of
    /// 100 values is exactly rank 95. `nil` while nothing was recorded.
    func quantiles(percents: [Int]) -> [Duration]? {
        guard !recent.isEmpty else { return nil }
        let sorted = recent.sorted()
        return percents.map { percent in
            let rank = max(1, (percent * sorted.count + 99) / 100)
            return sorted[min(rank, sorted.count) - 1]
        }
    }
}
