import ArgumentParser
import Curl
import Foundation
import SwitchboardBench


/// `switchboard bench e2e`: the whole path a customer waits on, webhook in → routed → handoff at the desk.
/// Starts `switchboard serve` child processes of this binary on a fresh store (SQLite, or a throwaway
/// PostgreSQL cluster with `fsync = on`, one or several instances sharing it), a desk in this process that
/// records arrivals and accepts each offer, and sends signed webhooks open loop at a fixed rate. Prints the
/// percentiles of webhook → handoff and the machine's ceiling measured in the same run; with `--find-max`,
/// the highest rate whose p99 stays under 100 ms with every conversation handed off. Run it on a release
/// build: make bench-e2e.
struct BenchEndToEnd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e", abstract: "Webhook in to handoff at the desk, open loop, on real servers (release build: make bench-e2e).")

    enum Store: String, ExpressibleByArgument, CaseIterable {
        case sqlite, postgres
    }

    @Option(help: "The store: sqlite, or postgres (a throwaway cluster, fsync on).") var store: Store = .sqlite
    @Option(help: "Server processes sharing the PostgreSQL database; the load goes round-robin over all.") var instances = 1
    @Option(help: "Conversations started per second (open loop; follow-ups come on top). With --find-max, the first rate tried.")
    var rate = 1000
    @Option(help: "Seconds of load (per step with --find-max).") var duration: Double = 20
    @Option(help: "Agents, online, with room for every conversation of the run.") var agents = 200
    @Option(help: "Shares of the webhooks: new conversations, follow-ups to an open one, returning customers, refunds needing authority.")
    var mix = LoadMix().description
    @Option(help: "Seconds to wait for the handoffs after the last send.") var drain: Double = 60
    @Option(help: "The p99 webhook→handoff a rate must stay under to count as sustained, in ms.") var p99Limit: Double = 100
    @Option(help: "Seconds of GET /health, closed loop, for the machine's ceiling (0: skip).") var ceilingSeconds: Double = 3
    @Option(help: "The servers' log level (their logs are in the working directory: see --keep).")
    var serverLogLevel = "warning"
    @Flag(inversion: .prefixedNo, help: "Whether the desk accepts each offer, as agents do (--no-accept: offers lapse after 30 s).")
    var accept = true
    @Flag(help: "Step the rate up (doubling, then bisecting) to the highest sustained one.") var findMax = false
    @Flag(help: "Also print the result as JSON.") var json = false
    @Flag(help: "Keep the working directory (configuration, server logs, SQLite store) and print where it is.")
    var keep = false

    func validate() throws {
        if store == .sqlite && instances != 1 {
            throw ValidationError("--instances is for --store postgres: one process owns a SQLite store")
        }
        guard instances >= 1, rate >= 1, duration > 0, agents >= 1, drain >= 0, p99Limit > 0 else {
            throw ValidationError("--instances, --rate, --duration, --agents and --p99-limit must be positive")
        }
        _ = try parsedMix()
    }

    private func parsedMix() throws -> LoadMix {
        do {
            return try LoadMix(parsing: mix)
        } catch {
            throw ValidationError("--mix: \(error)")
        }
    }

    func run() async throws {
        ExitCleanup.installSignalHandlers()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keep = self.keep
        let removal = ExitCleanup.register("directory") {
            if !keep { try? FileManager.default.removeItem(at: directory) }
        }
        defer {
            ExitCleanup.runAll()
            ExitCleanup.unregister(removal)
            if keep { printNow("kept: \(directory.path)") }
        }
        let loadBefore = Self.loadAverage()
        let postgres = store == .postgres ? try await ThrowawayPostgres.start(under: directory) : nil
        defer { postgres?.stop() }
        let settings = postgres.map { cluster in
            Dictionary(uniqueKeysWithValues: ["fsync", "synchronous_commit", "server_version"].map { ($0, cluster.setting($0)) })
        }
        if let settings {
            printNow("PostgreSQL \(settings["server_version"] ?? "?") on 127.0.0.1:\(postgres!.port), fsync \(settings["fsync"] ?? "?"), synchronous_commit \(settings["synchronous_commit"] ?? "?")")
        }
        let client = CurlClient()
        defer { client.shutdown() }
        let criterion = SustainCriterion(p99LimitMilliseconds: p99Limit)
        var steps: [StepResult] = []
        var ceiling: Double?
        var search = RateSearch(start: rate)
        var number = 0
        while let stepRate = findMax ? search.next : (number == 0 ? rate : nil) {
            number += 1
            let step = EndToEndStep(
                store: store.rawValue, instances: instances, agents: agents, mix: try parsedMix(), rate: stepRate,
                duration: duration, drain: drain, criterion: criterion, stopWhenFailed: findMax,
                ceilingSeconds: number == 1 && ceilingSeconds > 0 ? ceilingSeconds : nil, serverLogLevel: serverLogLevel,
                accept: accept, number: number)
            printNow("step \(number): \(store.rawValue)\(store == .postgres ? " × \(instances)" : ""), \(stepRate) conversations/s for \(EndToEndReport.format(duration)) s")
            let (result, measured) = try await step.run(directory: directory, postgres: postgres, client: client)
            if let measured { ceiling = measured }
            EndToEndReport.print(result, ceiling: ceiling)
            steps.append(result)
            search.record(rate: stepRate, passed: result.sustained)
        }
        if findMax {
            printNow("\nfind-max (p99 webhook→handoff < \(EndToEndReport.format(p99Limit)) ms, every conversation handed off):")
            for step in steps {
                printNow("  \(String(format: "%6d", step.rate))/s  \(step.sustained ? "sustained" : "not sustained")"
                    + "  p99 \(EndToEndReport.ms(step.webhookToHandoffMs?.p99))  handed off \(step.handedOff)/\(step.conversationsSent)")
            }
            printNow("maximum sustainable rate: \(search.highestPassing.map { "\(EndToEndReport.group($0)) conversations/s" } ?? "none (not even \(steps.map(\.rate).min() ?? 1)/s)")")
        }
        let result = EndToEndResult(
            date: ISO8601DateFormatter().string(from: Date()), command: CommandLine.arguments.joined(separator: " "),
            cores: ProcessInfo.processInfo.activeProcessorCount, loadAverageBefore: loadBefore,
            loadAverageAfter: Self.loadAverage(), ceilingRequestsPerSecond: ceiling, postgresSettings: settings,
            p99LimitMs: p99Limit, steps: steps, maxSustainableRate: findMax ? search.highestPassing : nil)
        printNow("machine: \(result.cores) cores, load average \(result.loadAverageBefore) before, \(result.loadAverageAfter) after")
        if json { try EndToEndReport.printJSON(result) }
    }

    /// The 1, 5 and 15 minute load averages, as /proc/loadavg has them.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
