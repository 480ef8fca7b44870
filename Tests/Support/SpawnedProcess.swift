import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests' servers (PostgreSQL, dovecot, Synapse, the
/// switchboard binary) and tools (Python, Chromium).
///
/// Not Foundation's `Process`: on Linux (Swift 6.3.1) `Process.run()` reads past a buffer while it lists
/// `/proc/self/fd` (`findMaximumOpenFromProcSelfFD`, swift-corelibs-foundation pull request 5472) and
/// crashes the whole test run now and then. Here the child gets the test process's environment (or the one
/// given), standard input from /dev/null, standard output and error in one file (or /dev/null), and no other
/// descriptor of the test process.
public final class SpawnedProcess: Sendable {
    public enum TerminationReason: Sendable, Equatable { case exit, uncaughtSignal }

    public let processIdentifier: pid_t
    /// The raw `waitpid` status, once reaped.
    private let reaped = Mutex<Int32?>(nil)

    private init(pid: pid_t) { processIdentifier = pid }

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - directory: the working directory; the test process's when nil.
    ///   - environment: the child's whole environment; the test process's when nil.
    ///   - output: a file that receives standard output and error (created, appended to); /dev/null when nil.
    public static func start(
        _ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String]? = nil,
        output: String? = nil
    ) throws -> SpawnedProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var program = executable
        var argv = [executable] + arguments
        if let directory {
            if let addChdir = Self.addChdir {
                _ = addChdir(&actions, directory)
            } else {
                program = "/bin/sh"
                argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
            }
        }
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environmentLines.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, nil, cArguments, cEnvironment)
        guard result == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return SpawnedProcess(pid: pid)
    }

    /// Whether it has not exited yet (reaping it when it has).
    public var isRunning: Bool {
        reaped.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, WNOHANG)
            if result == processIdentifier { status = raw }
            return result == 0
        }
    }

    /// Sends SIGTERM.
    public func terminate() { kill(processIdentifier, SIGTERM) }

    /// Blocks until it exits. Call it off the concurrency pool's threads (``exit()`` does).
    public func waitUntilExit() {
        if reaped.withLock({ $0 }) != nil { return }
        var raw: Int32 = 0
        while waitpid(processIdentifier, &raw, 0) == -1 && errno == EINTR {}
        reaped.withLock { status in if status == nil { status = raw } }
    }

    /// Waits for it to exit on a thread of its own, without holding a thread of the concurrency pool.
    public func exit() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.waitUntilExit()
                done.resume()
            }
        }
    }

    /// The exit code, or the signal that ended it; 0 before it exits.
    public var terminationStatus: Int32 {
        guard let raw = reaped.withLock({ $0 }) else { return 0 }
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    public var terminationReason: TerminationReason {
        guard let raw = reaped.withLock({ $0 }) else { return .exit }
        return raw & 0x7f == 0 ? .exit : .uncaughtSignal
    }

    /// Runs a program to its end and returns what it wrote (standard output and error together).
    public static func run(
        _ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String]? = nil
    ) async throws -> (status: Int32, reason: TerminationReason, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("spawned-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try start(executable, arguments, directory: directory, environment: environment, output: log)
        await process.exit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, process.terminationReason, output)
    }

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which the Glibc module does not declare.
    static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29).
    static let addChdir: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
}

public struct SpawnError: Error, CustomStringConvertible {
    public var description: String
}
