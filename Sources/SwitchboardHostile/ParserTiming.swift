import Foundation

/// How long a parser takes on one input: the best of a few runs, to keep other load out.
public struct ParserTiming: Sendable {
    public var label: String
    public var bytes: Int
    public var seconds: Double

    /// Times `workload` on `input` built for `bytes`: the fastest of `runs`, stopping early once the
    /// runs have taken `budget` seconds (a quadratic parser is seen in its first run).
    public static func measure(
        _ workload: ParserWorkload, _ input: ParserWorkload.Input, bytes: Int, runs: Int = 3, budget: Double = 2
    ) -> ParserTiming {
        measure(workload, input, sizes: [bytes], runs: runs, budget: budget)[0]
    }

    /// Times `workload` on `input` built for each of `sizes`, the sizes taken in turn in each round, so
    /// that load from elsewhere falls on all of them alike; the fastest of `runs` rounds for each.
    public static func measure(
        _ workload: ParserWorkload, _ input: ParserWorkload.Input, sizes: [Int], runs: Int = 3, budget: Double = 2
    ) -> [ParserTiming] {
        let built = sizes.map(input.build)
        var best = [Double](repeating: .infinity, count: sizes.count)
        var spent = 0.0
        for _ in 0..<runs {
            for (index, bytes) in built.enumerated() {
                let start = ContinuousClock.now
                workload.run(bytes)
                let elapsed = start.duration(to: .now)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                best[index] = min(best[index], seconds)
                spent += seconds
            }
            if spent > budget { break }
        }
        return zip(built, best).map { ParserTiming(label: input.label, bytes: $0.count, seconds: $1) }
    }
}
