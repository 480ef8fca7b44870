/// The search for the highest sustainable rate: from a starting rate it doubles while steps pass (halves
/// while they fail, if the first one did), then bisects between the highest rate that passed and the
/// lowest that failed until they are within `precision` of each other. Rates are whole numbers per second.
///
/// ```swift
/// var search = RateSearch(start: 250)
/// while let rate = search.next { search.record(rate: rate, passed: try await step(rate)) }
/// print(search.highestPassing ?? 0)
/// ```
public struct RateSearch: Sendable, Equatable {
    /// The highest rate that passed so far.
    public private(set) var highestPassing: Int?
    /// The lowest rate that failed so far.
    public private(set) var lowestFailing: Int?
    /// The rate to try next; nil when the search is over.
    public private(set) var next: Int?
    /// Every step so far, in order.
    public private(set) var steps: [Step] = []

    /// One rate tried, and whether it was sustained.
    public struct Step: Sendable, Equatable {
        public var rate: Int
        public var passed: Bool
    }

    /// The search ends when the lowest failing rate is at most `1 + precision` times the highest passing one.
    public let precision: Double
    /// The search also ends after this many steps.
    public let maximumSteps: Int

    /// Starts at `start` per second (at least 1).
    public init(start: Int, precision: Double = 0.1, maximumSteps: Int = 12) {
        next = Swift.max(1, start)
        self.precision = precision
        self.maximumSteps = maximumSteps
    }

    /// Records the outcome of trying `rate`, and chooses the next rate.
    public mutating func record(rate: Int, passed: Bool) {
        steps.append(Step(rate: rate, passed: passed))
        if passed {
            highestPassing = Swift.max(highestPassing ?? rate, rate)
        } else {
            lowestFailing = Swift.min(lowestFailing ?? rate, rate)
        }
        next = chooseNext()
    }

    private func chooseNext() -> Int? {
        guard steps.count < maximumSteps else { return nil }
        switch (highestPassing, lowestFailing) {
        case (let low?, nil):
            return low * 2
        case (nil, let high?):
            return high > 1 ? high / 2 : nil
        case (let low?, let high?):
            guard high > low, Double(high) > Double(low) * (1 + precision) else { return nil }
            let middle = (low + high) / 2
            return middle > low && middle < high ? middle : nil
        case (nil, nil):
            return next
        }
    }
}
