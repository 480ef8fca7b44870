import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore

/// `switchboard bench memory`: customer memory on a large SQLite store. Populates a fresh store
/// (a million conversations of 250,000 customers, and one customer with 1,000 earlier ones), then
/// times building handoff contexts and resolving customers from identities, through the store's
/// async API (the production path) and inside one read transaction. Run it on a release build.
struct BenchMemory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract:
            "Benchmark handoff contexts and identity lookups on a large SQLite store (release build: make bench-memory)."
    )

    @Option(help: "Conversations in the store, the heavy customer's included.") var conversations = 1_000_000
    @Option(help: "Ordinary customers, each with 1 to 3 identities.") var customers = 250_000
    @Option(help: "Earlier conversations of the heavy customer, spread over the whole timeline.") var history = 1_000
    @Option(help: "Timed handoff contexts per figure.") var contextSamples = 2_000
    @Option(help: "Timed identity lookups per figure.") var lookupSamples = 20_000
    @Option(help: "Seed of the random scenario.") var seed: UInt64 = 42
    @Flag(inversion: .prefixedNo, help: "Run ANALYZE after populating.") var analyze = true
    @Option(help: "Keep the store in this file, and reuse it when it already holds the heavy customer (for profiling).")
    var keep: String?

    static let contextTarget = 1_000.0
    static let lookupTarget = 100.0

    func validate() throws {
        guard customers > 0, history > 0, conversations >= 10 * history else {
            throw ValidationError("need customers > 0, history > 0 and conversations >= 10 * history")
        }
    }

    func run() async throws {
        let fixture = MemoryFixture(customers: customers, conversations: conversations, history: history)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-bench-\(UUID().uuidString)")
        let path = keep ?? directory.appendingPathComponent("state.db").path
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        var logger = Logger(label: "switchboard.bench")
        logger.logLevel = .warning
        let store = try SQLiteStore(path: path, logger: logger)
        defer { try? store.close() }

        let heavyIdentity = fixture.identities(fixture.heavyCustomer)[0]
        if try await store.customerId(for: heavyIdentity) == fixture.heavyCustomerId {
            print("reusing the store at \(path)")
        } else {
            try populate(store, fixture)
        }
        print("store: \(Self.megabytes(path)) MiB (\(path))")
        for (table, rows) in try await store.read({ try await $0.rowCounts() }) { print("  \(table): \(rows) rows") }

        let heavy = try await checkHeavyContext(store, fixture)
        print("load average before measuring: \(Self.loadAverage())")
        var rng = SplitMix(state: seed)
        let ordinary = (0..<contextSamples).map { _ in ordinaryConversation(fixture, &rng) }
        let lookups = (0..<lookupSamples).map { _ in lookup(fixture, &rng) }

        // Warm up the connections and the page cache a little, as a running server would be.
        for _ in 0..<200 { _ = try await store.handoffContext(conversationId: heavy, now: fixture.now) }

        print("through the store's async API (the production path):")
        var timings = Timings()
        for _ in 0..<contextSamples {
            let began = ContinuousClock.now
            _ = try await store.handoffContext(conversationId: heavy, now: fixture.now)
            timings.add(ContinuousClock.now - began)
        }
        report(
            timings, "handoff context, heavy customer (\(history) earlier conversations)", target: Self.contextTarget)
        timings = Timings()
        for id in ordinary {
            let began = ContinuousClock.now
            _ = try await store.handoffContext(conversationId: id, now: fixture.now)
            timings.add(ContinuousClock.now - began)
        }
        report(timings, "handoff context, random ordinary customer", target: Self.contextTarget)
        timings = Timings()
        var wrong = 0
        for (identity, expected) in lookups {
            let began = ContinuousClock.now
            let found = try await store.customerId(for: identity)
            timings.add(ContinuousClock.now - began)
            if found != expected { wrong += 1 }
        }
        report(timings, "identity -> customer (1 in 10 unknown)", target: Self.lookupTarget)
        guard wrong == 0 else { throw ValidationError("\(wrong) identity lookups returned the wrong customer") }
        timings = Timings()
        for _ in 0..<lookupSamples {
            let began = ContinuousClock.now
            _ = try await store.readAsync { 0 }
            timings.add(ContinuousClock.now - began)
        }
        timings.print("  the hop alone: an empty read through the same async API")

        print("inside one read transaction (the queries alone, without the hop to a reader connection):")
        try await store.read { reader in
            // Wall time, and the CPU time of this thread around it: on a shared machine, the time the
            // thread waited for a core shows in the first and not in the second.
            var timings = Timings()
            var cpu = Timings()
            for _ in 0..<contextSamples {
                let cpuBegan = Self.threadCPUTime()
                let began = ContinuousClock.now
                _ = try await reader.handoffContext(conversationId: heavy, now: fixture.now)
                timings.add(ContinuousClock.now - began)
                cpu.add(Self.threadCPUTime() - cpuBegan)
            }
            report(timings, "handoff context, heavy customer", target: Self.contextTarget)
            cpu.print("    the same, CPU time of the thread")
            timings = Timings()
            cpu = Timings()
            for id in ordinary {
                let cpuBegan = Self.threadCPUTime()
                let began = ContinuousClock.now
                _ = try await reader.handoffContext(conversationId: id, now: fixture.now)
                timings.add(ContinuousClock.now - began)
                cpu.add(Self.threadCPUTime() - cpuBegan)
            }
            report(timings, "handoff context, random ordinary customer", target: Self.contextTarget)
            cpu.print("    the same, CPU time of the thread")
            timings = Timings()
            for (identity, _) in lookups {
                let began = ContinuousClock.now
                _ = try await reader.customerId(for: identity)
                timings.add(ContinuousClock.now - began)
            }
            report(timings, "identity -> customer", target: Self.lookupTarget)
        }

        print(
            "query plans (EXPLAIN QUERY PLAN, heavy customer's context\(analyze ? ", after ANALYZE" : ", no ANALYZE")):"
        )
        for (query, plan) in try await store.read({ try await $0.queryPlans(conversationId: heavy, identity: heavyIdentity) }) {
            print("  \(query):")
            for line in plan { print("    \(line)") }
        }
        print(
            "load average after: \(Self.loadAverage()) (shared machine, \(ProcessInfo.processInfo.activeProcessorCount) cores)"
        )
    }

    /// Fills the store: customers and identities, then conversations in the order they started, in
    /// transactions of 100,000, then the heavy customer's open conversation.
    private func populate(_ store: SQLiteStore, _ fixture: MemoryFixture) throws {
        print(
            "populating: \(conversations) conversations of \(customers) customers, one of them with \(history) earlier ones"
        )
        let began = ContinuousClock.now
        try store.bulkLoad { loader in try fixture.loadCustomers(0..<customers + 1, into: loader) }
        print("  \(customers + 1) customers with their identities in \(Self.seconds(ContinuousClock.now - began))")
        var rng = SplitMix(state: seed)
        let batch = 100_000
        for first in stride(from: 0, to: conversations, by: batch) {
            let batchBegan = ContinuousClock.now
            let end = min(first + batch, conversations)
            try store.bulkLoad { loader in
                for j in first..<end {
                    let customer = fixture.isHeavy(j) ? fixture.heavyCustomer : Int(rng.next() % UInt64(customers))
                    try fixture.loadConversation(j, customer: customer, rng: &rng, into: loader)
                }
            }
            let rate = Double(end - first) / Self.secondsValue(ContinuousClock.now - batchBegan)
            print(
                "  \(end) conversations (\(Int(rate)) per second with their messages, notes and promises), "
                    + "\(Self.seconds(ContinuousClock.now - began)) so far")
        }
        try store.bulkLoad { loader in try fixture.loadHeavyOpen(rng: &rng, into: loader) }
        let analyzeBegan = ContinuousClock.now
        try store.finishBulkLoad(analyze: analyze)
        if analyze { print("  ANALYZE and checkpoint in \(Self.seconds(ContinuousClock.now - analyzeBegan))") }
        print("populated in \(Self.seconds(ContinuousClock.now - began))")
    }

    /// Builds the heavy customer's context once and checks it holds what the scenario put there.
    private func checkHeavyContext(_ store: SQLiteStore, _ fixture: MemoryFixture) async throws -> String {
        let id = fixture.heavyOpenId
        guard let context = try await store.handoffContext(conversationId: id, now: fixture.now) else {
            throw ValidationError("no context for the heavy customer's conversation \(id)")
        }
        let summary = context.historySummary
        print(
            "heavy customer's context: \(context.transcript.count) messages, \(context.notes.count) notes, "
                + "\(context.history.count) history entries with \(context.history.map(\.agentNotes.count).reduce(0, +)) "
                + "agent notes, of \(summary.conversations) earlier conversations (\(summary.transfers) transfers, "
                + "last outcome \(summary.lastOutcome ?? "none")), \(context.promises.count) unkept promises")
        guard summary.conversations == history, context.customer.id == fixture.heavyCustomerId else {
            throw ValidationError("the heavy customer's context counts \(summary.conversations) earlier conversations")
        }
        return id
    }

    /// An ordinary conversation, drawn at random.
    private func ordinaryConversation(_ fixture: MemoryFixture, _ rng: inout SplitMix) -> String {
        while true {
            let j = Int(rng.next() % UInt64(conversations))
            if !fixture.isHeavy(j) { return fixture.conversationId(j) }
        }
    }

    /// An identity and the customer it should resolve to: one of a random customer's, or (one in
    /// ten) an identity nobody holds.
    private func lookup(_ fixture: MemoryFixture, _ rng: inout SplitMix) -> (Identity, String?) {
        let number = Int(rng.next() % UInt64(customers))
        if rng.next() % 10 == 0 { return (fixture.unknownIdentity(number), nil) }
        let held = fixture.identities(number)
        return (held[Int(rng.next() % UInt64(held.count))], fixture.customerId(number))
    }

    private func report(_ timings: Timings, _ label: String, target: Double) {
        timings.print("  " + label)
        guard let p99 = timings.micros(at: 0.99) else { return }
        print("    target p99 <= \(Int(target)) µs: \(p99 <= target ? "met" : "NOT MET")")
    }

    /// CPU time the calling thread has used.
    static func threadCPUTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// The 1, 5 and 15 minute load averages.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The state database with its WAL.
    static func megabytes(_ path: String) -> Int {
        let bytes = [path, path + "-wal"].compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int
        }.reduce(0, +)
        return bytes / 1_048_576
    }

    static func secondsValue(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func seconds(_ duration: Duration) -> String { String(format: "%.1f s", secondsValue(duration)) }
}
