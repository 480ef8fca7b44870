import Foundation

/// Runs a program to its end without blocking a thread of the concurrency pool, with its output and
/// errors collected in one log.
enum ChildProcess {
    struct Result {
        var status: Int32
        var reason: Process.TerminationReason
        var output: String
        var exitedNormally: Bool { reason == .exit }
    }

    static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> Result {
        let log = directory.appendingPathComponent("run-\(UUID().uuidString).log")
        try Data().write(to: log)
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = output
        try await withCheckedThrowingContinuation { (finished: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in finished.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                finished.resume(throwing: error)
            }
        }
        return Result(
            status: process.terminationStatus, reason: process.terminationReason,
            output: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
