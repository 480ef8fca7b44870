/// The agents who hold a set of required skills and have a free slot on one channel, kept in the
/// order the matcher ranks them: lowest load ratio first, then the one offered something longest ago,
/// then by id. A match reads the best from the front instead of looking at every qualified agent.
///
/// An agent's place changes only when their load, presence or last offer changes, and the board
/// moves them then (`AgentBoard.hold`, `release`, `setPresence`); within one ratio the order by last
/// offer is fixed, since an offer raises the load and so moves the agent to another ratio.
struct RankedPool: Sendable {
    struct Key: Hashable, Sendable {
        /// The requirement's entry in the board's table of qualified agents.
        var entry: Int
        var channel: Int
    }

    let entry: Int
    /// An agent's place within one ratio.
    struct Place: Comparable, Sendable {
        var last: Double
        var order: Int
        var agent: Int

        static func < (a: Place, b: Place) -> Bool {
            if a.last != b.last { return a.last < b.last }
            return a.order < b.order
        }
    }

    let channel: Int
    /// The load ratios present, lowest first (a handful), and per ratio the agents in order.
    private(set) var ratios: [Double] = []
    private(set) var buckets: [[Place]] = []
    private(set) var count = 0

    init(entry: Int, channel: Int) {
        self.entry = entry
        self.channel = channel
    }

    // A bucket is changed in place through `buckets[i]`, and its index found in a statement of its own:
    // a copy of the bucket still alive during the change would make the change copy it whole.

    mutating func insert(_ place: Place, ratio: Double) {
        let bucket = ratios.firstIndex { $0 >= ratio } ?? ratios.count
        if bucket == ratios.count || ratios[bucket] != ratio {
            ratios.insert(ratio, at: bucket)
            buckets.insert([], at: bucket)
        }
        let index = Self.index(of: place, in: buckets[bucket])
        buckets[bucket].insert(place, at: index)
        count += 1
    }

    mutating func remove(_ place: Place, ratio: Double) {
        guard let bucket = ratios.firstIndex(of: ratio) else { return }
        let index = Self.index(of: place, in: buckets[bucket])
        guard index < buckets[bucket].count, buckets[bucket][index].agent == place.agent else { return }
        buckets[bucket].remove(at: index)
        count -= 1
        if buckets[bucket].isEmpty {
            ratios.remove(at: bucket)
            buckets.remove(at: bucket)
        }
    }

    /// The agents in rank order, lazily.
    func ranked() -> some Sequence<Int> {
        buckets.lazy.flatMap { $0.lazy.map(\.agent) }
    }

    /// The first index whose place does not come before `place`.
    private static func index(of place: Place, in bucket: [Place]) -> Int {
        var low = 0
        var high = bucket.count
        while low < high {
            let middle = (low + high) / 2
            if bucket[middle] < place { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
