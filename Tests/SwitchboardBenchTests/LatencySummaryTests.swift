import Testing
import SwitchboardBench

@Suite("Percentiles of the end-to-end bench")
struct LatencySummaryTests {
    @Test("nearest rank over 1 ... 100: p50 is 50, p90 is 90, p99 is 99, max 100")
    func hundred() throws {
        let summary = try #require(LatencySummary((1...100).map(Double.init).shuffled()))
        #expect(summary.count == 100)
        #expect([summary.p50, summary.p90, summary.p99, summary.max] == [50, 90, 99, 100])
    }

    @Test(
        "the rank is the ceiling of fraction times count",
        arguments: [
            (0.5, 1, 1), (0.99, 1, 1), (0.5, 2, 1), (0.5, 3, 2), (0.99, 10, 10), (0.99, 100, 99), (0.99, 101, 100),
            (0.99, 1000, 990), (0.9, 7, 7), (0.9, 10, 9),
        ])
    func rank(fraction: Double, count: Int, expected: Int) {
        #expect(LatencySummary.rank(fraction, of: count) == expected)
    }

    @Test("no samples, no summary")
    func empty() {
        #expect(LatencySummary([]) == nil)
    }

    @Test("a single slow sample among 100 is the max, not the p99")
    func oneOutlier() throws {
        let summary = try #require(LatencySummary(Array(repeating: 5, count: 99) + [900]))
        #expect(summary.p99 == 5)
        #expect(summary.max == 900)
    }
}

@Suite("When a rate is sustained")
struct SustainCriterionTests {
    let criterion = SustainCriterion(p99LimitMilliseconds: 100)

    @Test("every one handed off with p99 under the limit passes; one missing fails")
    func missing() {
        let fast = Array(repeating: 10.0, count: 200)
        #expect(criterion.passes(latencies: fast, total: 200))
        #expect(!criterion.passes(latencies: Array(fast.dropLast()), total: 200))
        #expect(!criterion.passes(latencies: [], total: 0))
    }

    @Test("p99 at the limit fails, just under passes")
    func limit() {
        #expect(!criterion.passes(latencies: Array(repeating: 100, count: 100), total: 100))
        #expect(criterion.passes(latencies: Array(repeating: 99.9, count: 100), total: 100))
    }

    @Test("of 1,000, ten may be slow and the p99 still passes; the eleventh is a certain failure")
    func earlyFailure() {
        #expect(criterion.allowedSlow(of: 1000) == 10)
        #expect(!criterion.hasFailed(slowSoFar: 10, total: 1000))
        #expect(criterion.hasFailed(slowSoFar: 11, total: 1000))
        let latencies = Array(repeating: 1.0, count: 990) + Array(repeating: 500.0, count: 10)
        #expect(criterion.passes(latencies: latencies, total: 1000))
        let oneMore = Array(repeating: 1.0, count: 989) + Array(repeating: 500.0, count: 11)
        #expect(!criterion.passes(latencies: oneMore, total: 1000))
    }
}
