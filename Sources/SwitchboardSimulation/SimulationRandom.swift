import Foundation
import SwitchboardCore

/// The simulation's draws, from a seeded generator: the same seed gives the same day on every machine, which
/// the system's generator does not.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Exponentially distributed with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), .leastNonzeroMagnitude)
        return sqrt(-2 * log(u1)) * cos(2 * .pi * unit())
    }

    /// Log-normal around `median`, with `sigma` the standard deviation of its logarithm.
    public mutating func logNormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }

    /// One of the keys, with probability proportional to its weight; keys in name order, so that the
    /// draw does not depend on a dictionary's order.
    public mutating func pick(_ weights: [String: Double]) -> String {
        let keys = weights.keys.sorted()
        let total = keys.reduce(0) { $0 + max(0, weights[$1]!) }
        var target = unit() * total
        for key in keys {
            target -= max(0, weights[key]!)
            if target < 0 { return key }
        }
        return keys.last ?? ""
    }
}
