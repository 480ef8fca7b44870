import ArgumentParser
import Foundation
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSimulation

/// `switchboard simulate day SCENARIO`: a contact centre's day with a virtual clock, Switchboard's engine against
/// the usual policies on the same arrivals.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate routing without a server.", subcommands: [Day.self])

    struct Day: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a day's scenario (docs/simulation.md) under Switchboard's tables and the usual policies; print the table, optionally write JSON and an HTML page.")

        @Argument(help: "The scenario file.") var scenario = "Config/scenarios/retail-day.yaml"
        @Option(help: "The routing tables Switchboard routes with.") var routes = "Routes"
        @Option(help: "Use this seed instead of the scenario's.") var seed: UInt64?
        @Option(help: "Write the report as JSON to this file (- for standard output).") var json: String?
        @Option(help: "Write the report as a self-contained HTML page to this file.") var html: String?
        @Option(parsing: .upToNextOption, help: "The policies to run: \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var policies: [String] = PolicyKind.allCases.map(\.rawValue)

        func run() throws {
            let kinds = try policies.map { name in
                guard let kind = PolicyKind(rawValue: name) else {
                    throw ValidationError(
                        "--policies: unknown policy \"\(name)\" (expected \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return kind
            }
            var problems: [ConfigProblem] = []
            var loaded: Scenario?
            do { loaded = try ScenarioLoader.load(path: scenario) } catch { problems += error.problems }
            var table: RoutingTable?
            do { table = try RoutesLoader.load(directory: routes) } catch { problems += error.problems }
            guard problems.isEmpty, var loaded, let table else {
                FileHandle.standardError.write(Data((ConfigErrors(problems: problems).description + "\n").utf8))
                throw ExitCode(1)
            }
            if let seed { loaded.seed = seed }
            let simulator = DaySimulator(scenario: loaded, table: table)
            let progress = FileHandle.standardError
            progress.write(Data("\(loaded.name): \(simulator.plan.count) conversations, \(simulator.agentCount) agents\n".utf8))
            let reports = simulator.runAll(kinds) { report in
                progress.write(Data("  \(report.policy.title): done in \(String(format: "%.2f", report.seconds)) s\n".utf8))
            }
            let report = DayReport(
                scenario: loaded.name, seed: loaded.seed, table: routes, agents: simulator.agentCount,
                planned: simulator.plan.count, policies: reports)
            if json == "-" {
                print(String(decoding: try DayReport.json(report), as: UTF8.self))
            } else {
                print(report.text)
                if let json { try DayReport.json(report).write(to: URL(fileURLWithPath: json)) }
            }
            if let html {
                try Data(report.html.utf8).write(to: URL(fileURLWithPath: html))
                progress.write(Data("wrote \(html)\n".utf8))
            }
        }
    }
}
