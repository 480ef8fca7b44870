import Testing

@testable import SwitchboardHostile

/// Every parser of untrusted input takes linear time on inputs built to hit its worst case: four
/// times the input takes about four times as long (a quadratic parser takes sixteen), and no input
/// takes far longer than a benign one of the same size. 100 KB here, in a debug build;
/// `switchboard bench parsers` measures 1 MiB in a release build against the goal of 5. `make test`
/// runs this suite after the others, so that their load does not fall on its timings.
@Suite("Parsers take linear time", .serialized)
struct ParserTimeTests {
    static let small = 25_000
    static let large = 100_000
    /// Linear growth is 4; quadratic 16.
    static let growthBound = 10.0
    /// Against the benign input: generous, for per-item costs in a debug build.
    static let benignBound = 50.0

    @Test("four times the input takes about four times as long, and not far longer than a benign one",
          arguments: ParserWorkload.all.map(\.name))
    func linear(name: String) throws {
        let workload = try #require(ParserWorkload.all.first { $0.name == name })
        var benign = Double.infinity
        for input in [workload.benign] + workload.adversarial {
            // A growth past the bound is measured again, up to three times, before it counts (a
            // quadratic parser is past it every time).
            var growths: [String] = []
            var linear = false
            var large = Double.infinity
            for _ in 0..<3 where !linear {
                let timings = ParserTiming.measure(workload, input, sizes: [Self.small, Self.large], runs: 3)
                large = min(large, timings[1].seconds)
                // A floor of 5 ms: below it, a timing is mostly noise.
                linear = timings[1].seconds / max(timings[0].seconds, 0.005) < Self.growthBound
                growths.append("\(timings[1].seconds) s at \(Self.large) bytes, \(timings[0].seconds) s at \(Self.small)")
            }
            #expect(linear, "\(name), \(input.label): \(growths.joined(separator: "; "))")
            if benign == .infinity {
                // A floor of 2 ms, so that a benign run too short to time does not make any ratio large.
                benign = max(large, 0.002)
            } else {
                #expect(large / benign < Self.benignBound, "\(name), \(input.label): \(large) s against \(benign) s benign")
            }
        }
    }

    @Test("the inputs have the size asked for", arguments: ParserWorkload.all.map(\.name))
    func sizes(name: String) throws {
        let workload = try #require(ParserWorkload.all.first { $0.name == name })
        for input in [workload.benign] + workload.adversarial {
            let built = input.build(Self.large)
            #expect(abs(built.count - Self.large) < Self.large / 10, "\(name), \(input.label): \(built.count) bytes")
        }
    }
}
