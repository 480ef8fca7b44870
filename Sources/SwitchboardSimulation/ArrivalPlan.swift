import Foundation

/// One conversation of the day as drawn before any policy runs: every policy sees the same ones.
public struct PlannedConversation: Sendable, Hashable {
    /// Seconds after midnight.
    public var at: Double
    public var channel: String
    public var tier: String?
    public var angry: Bool
    /// Index into the scenario's intents.
    public var intent: Int
    public var amount: Double?
    /// The customer, by number; a returning customer has the number of an earlier conversation's.
    public var customer: Int
    /// Seconds the customer waits for an agent before giving up; nil for never.
    public var patience: Double?
    /// The draw around the intent's median handling time (1 is the median).
    public var handleFactor: Double
    /// Whether its resolution promises a follow-up (drawn from the intent's share).
    public var promises: Bool
}

/// The day's arrivals, drawn from the scenario's seed.
public enum ArrivalPlan {
    /// Handling is 30 % longer for an angry customer, and patience half as long.
    static let angryHandling = 1.3
    static let angryPatience = 0.5
    /// The spread of handling times (the standard deviation of their logarithm).
    static let handleSigma = 0.5

    public static func draw(_ scenario: Scenario) -> [PlannedConversation] {
        var random = SimulationRandom(seed: scenario.seed)
        let arrivals = scenario.arrivals
        let times = arrivalTimes(scenario, count: arrivals.conversations, random: &random)
        let intentWeights = Dictionary(
            uniqueKeysWithValues: scenario.intents.enumerated().map { (String(format: "%06d", $0.offset), $0.element.share) })
        var customers = 0
        var planned: [PlannedConversation] = []
        planned.reserveCapacity(times.count)
        for at in times {
            let channel = random.pick(arrivals.channels)
            let tier = arrivals.tiers.isEmpty ? nil : random.pick(arrivals.tiers)
            let angry = random.unit() < arrivals.angry
            let intent = Int(random.pick(intentWeights)) ?? 0
            let amount = scenario.intents[intent].amount.map { range in
                let drawn = range.lowerBound * pow(range.upperBound / range.lowerBound, random.unit())
                return (drawn * 100).rounded() / 100
            }
            let customer: Int
            if !planned.isEmpty, random.unit() < arrivals.returning {
                customer = planned[Int(random.unit() * Double(planned.count))].customer
            } else {
                customer = customers
                customers += 1
            }
            let patience = arrivals.patience[channel].map { mean in
                random.exponential(mean: mean * (angry ? angryPatience : 1))
            }
            let handleFactor = random.logNormal(median: 1, sigma: handleSigma) * (angry ? angryHandling : 1)
            let promises = random.unit() < scenario.intents[intent].promises
            planned.append(
                PlannedConversation(
                    at: at, channel: channel, tier: tier, angry: angry, intent: intent, amount: amount, customer: customer,
                    patience: patience, handleFactor: handleFactor, promises: promises))
        }
        return planned
    }

    /// `count` times between opening and closing, sorted, with a density following the curve (straight lines
    /// between its points, flat before the first and after the last; even when there is no curve).
    static func arrivalTimes(_ scenario: Scenario, count: Int, random: inout SimulationRandom) -> [Double] {
        let span = max(scenario.closes - scenario.opens, 1)
        let buckets = max(1, Int(span / 60))
        let width = span / Double(buckets)
        var cumulative: [Double] = []
        cumulative.reserveCapacity(buckets)
        var total = 0.0
        for bucket in 0..<buckets {
            total += max(0, weight(at: scenario.opens + (Double(bucket) + 0.5) * width, curve: scenario.arrivals.curve))
            cumulative.append(total)
        }
        guard total > 0 else { return [] }
        var times: [Double] = []
        times.reserveCapacity(count)
        for _ in 0..<count {
            let target = random.unit() * total
            var low = 0
            var high = buckets - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > target { high = middle } else { low = middle + 1 }
            }
            times.append(scenario.opens + (Double(low) + random.unit()) * width)
        }
        return times.sorted()
    }

    /// The curve's weight at a time of day.
    static func weight(at time: Double, curve: [Arrivals.CurvePoint]) -> Double {
        guard let first = curve.first, let last = curve.last else { return 1 }
        if time <= first.at { return first.weight }
        if time >= last.at { return last.weight }
        for (a, b) in zip(curve, curve.dropFirst()) where time >= a.at && time <= b.at {
            let span = b.at - a.at
            return span > 0 ? a.weight + (b.weight - a.weight) * (time - a.at) / span : b.weight
        }
        return last.weight
    }
}
