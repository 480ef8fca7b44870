import Testing
import SwitchboardBench

@Suite("The search for the highest sustainable rate")
struct RateSearchTests {
    /// Runs the search against a machine that sustains everything up to `capacity` per second.
    func search(start: Int, capacity: Int, precision: Double = 0.1) -> RateSearch {
        var search = RateSearch(start: start, precision: precision)
        while let rate = search.next {
            search.record(rate: rate, passed: rate <= capacity)
        }
        return search
    }

    @Test(
        "finds the capacity to within the precision, from below and from above",
        arguments: [(100, 1_000), (100, 3_000), (250, 2_900), (5_000, 300), (1_000, 1_000), (64, 65)])
    func finds(start: Int, capacity: Int) throws {
        let result = search(start: start, capacity: capacity)
        let best = try #require(result.highestPassing)
        #expect(best <= capacity)
        #expect(Double(best) >= Double(capacity) / 1.1 - 1)
        if let failing = result.lowestFailing {
            #expect(failing > capacity)
        }
    }

    @Test("doubles while passing, then bisects")
    func order() {
        let result = search(start: 100, capacity: 500)
        #expect(result.steps.map(\.rate) == [100, 200, 400, 800, 600, 500, 550])
        #expect(result.highestPassing == 500)
        #expect(result.lowestFailing == 550)
    }

    @Test("nothing sustained: halves down to 1 per second and ends without a rate")
    func nothing() {
        let result = search(start: 8, capacity: 0)
        #expect(result.steps.map(\.rate) == [8, 4, 2, 1])
        #expect(result.highestPassing == nil)
        #expect(result.next == nil)
    }

    @Test("stops after the maximum number of steps")
    func bounded() {
        var search = RateSearch(start: 1, precision: 0.0001, maximumSteps: 5)
        var tried = 0
        while let rate = search.next {
            tried += 1
            search.record(rate: rate, passed: true)
        }
        #expect(tried == 5)
        #expect(search.highestPassing == 16)
    }
}
