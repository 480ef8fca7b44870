import Foundation
import TestSupport

/// Runs a program to its end without blocking a thread of the concurrency pool, with its output and
/// errors collected in one log (``SpawnedProcess``, not Foundation's `Process`).
enum ChildProcess {
    struct Result {
        var status: Int32
        var reason: SpawnedProcess.TerminationReason
        var output: String
        var exitedNormally: Bool { reason == .exit }
    }

    static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> Result {
        let run = try await SpawnedProcess.run(executable.path, arguments, directory: directory.path)
        return Result(status: run.status, reason: run.reason, output: run.output)
    }
}
