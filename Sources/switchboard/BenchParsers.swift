import ArgumentParser
import Foundation
import SwitchboardHostile

/// `switchboard bench parsers`: each parser of untrusted input on a benign input and on inputs built
/// to hit its worst case, all of the same size. Prints each time and the ratio adversarial/benign;
/// the goal is under 5 for every one. Run it on a release build (`make bench-parsers`).
struct BenchParsers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parsers",
        abstract: "Time every parser of untrusted input on benign and adversarial inputs (release build: make bench-parsers).")

    @Option(help: "Bytes of each input.") var bytes = 1 << 20
    @Option(help: "Runs of each input; the fastest counts.") var runs = 3
    @Option(help: "Only the parsers whose name contains this.") var only: String?
    @Option(help: "The ratio adversarial/benign that fails the run.") var goal = 5.0

    func run() throws {
        let workloads = ParserWorkload.all.filter { only == nil || $0.name.contains(only!) }
        print("each input \(bytes) bytes, the fastest of \(runs) runs; ratio = adversarial / benign (goal < \(goal))")
        print(pad("parser", 18) + pad("input", 48) + pad("ms", 10, right: true) + pad("ratio", 8, right: true))
        var worst: (ratio: Double, what: String) = (0, "")
        for workload in workloads {
            let benign = ParserTiming.measure(workload, workload.benign, bytes: bytes, runs: runs, budget: 30)
            print(pad(workload.name, 18) + pad("benign: " + benign.label, 48) + milliseconds(benign.seconds) + pad("1.0", 8, right: true))
            for input in workload.adversarial {
                let timing = ParserTiming.measure(workload, input, bytes: bytes, runs: runs, budget: 30)
                // A floor of 0.1 ms: a benign run too short to time would make any ratio large.
                let ratio = timing.seconds / max(benign.seconds, 0.0001)
                if ratio > worst.ratio { worst = (ratio, "\(workload.name), \(input.label)") }
                print(pad("", 18) + pad(timing.label, 48) + milliseconds(timing.seconds) + pad(String(format: "%.1f", ratio), 8, right: true))
            }
        }
        print(String(format: "worst ratio: %.1f (%@)", worst.ratio, worst.what))
        if worst.ratio >= goal { throw ExitCode(1) }
    }

    private func milliseconds(_ seconds: Double) -> String { pad(String(format: "%.2f", seconds * 1000), 10, right: true) }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let room = String(repeating: " ", count: max(1, width - text.count))
        return right ? room + text : text + room
    }
}
