import ArgumentParser
import Foundation
import SwitchboardConfig

/// `switchboard routes check [DIR]`: validate routing tables without serving.
struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with routing tables.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a directory of routing tables; print every problem as file:line:column: message.")

        @Argument(help: "The directory of routing tables.")
        var directory = "Routes"

        @Option(help: "Also validate this agents file.")
        var agents: String?

        func run() throws {
            var problems: [ConfigProblem] = []
            var routeCount = 0
            do {
                routeCount = try RoutesLoader.load(directory: directory).routes.count
            } catch {
                problems += error.problems
            }
            if let agents {
                do { _ = try AgentsLoader.load(path: agents) } catch { problems += error.problems }
            }
            guard problems.isEmpty else {
                FileHandle.standardError.write(Data((ConfigErrors(problems: problems).description + "\n").utf8))
                throw ExitCode(1)
            }
            print("\(directory): \(routeCount) route\(routeCount == 1 ? "" : "s"), no problems")
        }
    }
}
