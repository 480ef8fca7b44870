import Curl
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `switchboard serve --config FILE` child processes of this very binary, each on a local port of its own
/// (`SWITCHBOARD_SERVER_PORT`), as several hosts would run them behind a load balancer.
///
/// Each runs under a small shell guard that stops it (SIGTERM, a graceful drain) when told to, and also as
/// soon as this process is gone, however it ended (kill -9 included): nothing outlives the bench.
final class ServerProcesses: Sendable {
    /// The ports the servers listen on, in start order.
    let ports: [Int]
    private let guards: [Process]
    private let cleanup: Int
    private let stopped = Mutex(false)

    /// Base URLs, `http://127.0.0.1:PORT`.
    var baseURLs: [String] { ports.map { "http://127.0.0.1:\($0)" } }

    private init(ports: [Int], guards: [Process]) {
        self.ports = ports
        self.guards = guards
        let pids = guards.map(\.processIdentifier)
        cleanup = ExitCleanup.register("servers") { ServerProcesses.stop(pids: pids) }
    }

    /// This binary's path, to start `serve` from.
    static var binary: String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Starts `count` servers one after the other (the first applies the migrations), each answering
    /// `GET /health` before the next starts. A server whose port was taken meanwhile exits at once and is
    /// started again on another. Standard output and error go to `logs/serve-N.log` in `directory`.
    static func start(count: Int, config: String, directory: URL, client: CurlClient) async throws -> ServerProcesses {
        var ports: [Int] = []
        var guards: [Process] = []
        let logs = directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        do {
            for index in 0..<count {
                var started: (Process, Int)?
                for attempt in 1...3 where started == nil {
                    let port = try LocalPort.free()
                    let log = logs.appendingPathComponent("serve-\(index + 1).log")
                    let process = try launch(config: config, port: port, log: log, directory: directory)
                    guards.append(process)
                    if try await ready(port: port, process: process, client: client) {
                        started = (process, port)
                    } else {
                        stop(pids: [process.processIdentifier])
                        guards.removeLast()
                        if attempt == 3 {
                            throw BenchError("server \(index + 1) did not start; its log:\n\(tail(of: log))")
                        }
                    }
                }
                if let started { ports.append(started.1) }
            }
        } catch {
            stop(pids: guards.map(\.processIdentifier))
            throw error
        }
        return ServerProcesses(ports: ports, guards: guards)
    }

    private static func launch(config: String, port: Int, log: URL, directory: URL) throws -> Process {
        // $1 the binary, $2 the config, $3 this process's pid. The guard forwards SIGTERM, and polls for this
        // process twice a second. A server still there 20 s after SIGTERM gets SIGKILL: a server on PostgreSQL
        // whose database is gone (the bench was killed, its cluster's guard stopped the cluster) does not finish
        // its graceful shutdown.
        let script = """
            "$1" serve --config "$2" & child=$!
            alive() { kill -0 $child 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' /proc/$child/status; }
            stop() {
              kill -TERM $child 2>/dev/null; i=0
              while alive && [ $i -lt 40 ]; do sleep 0.5; i=$((i+1)); done
              kill -KILL $child 2>/dev/null; wait $child
            }
            trap 'stop; exit 0' TERM INT
            while [ -d "/proc/$3" ] && alive; do sleep 0.5; done
            stop
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "serve-guard", binary, config, "\(getpid())"]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["SWITCHBOARD_SERVER_PORT"] = "\(port)"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits up to 60 s for `GET /health` to answer 200; false if the process ended first.
    private static func ready(port: Int, process: Process, client: CurlClient) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        let request = CurlRequest(url: "http://127.0.0.1:\(port)/health", timeout: .seconds(2))
        while ContinuousClock.now < deadline && process.isRunning {
            if (try? await client.execute(request))?.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Which servers have ended by themselves (a crash): their 1-based numbers.
    var ended: [Int] {
        guards.enumerated().filter { !$0.element.isRunning }.map { $0.offset + 1 }
    }

    /// Stops every server: SIGTERM to each guard, which drains its server gracefully (SIGKILL after 20 s).
    func stop() {
        let already = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !already else { return }
        Self.stop(pids: guards.map(\.processIdentifier))
        ExitCleanup.unregister(cleanup)
    }

    /// SIGTERM to each of `pids` (guards started here), then waits for them to be gone; SIGKILL to a guard
    /// and its server still there after 30 s.
    static func stop(pids: [Int32]) {
        for pid in pids { kill(pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(30)
        var waiting = Set(pids)
        while !waiting.isEmpty {
            for pid in waiting where !isAlive(pid) { waiting.remove(pid) }
            if Date() > deadline {
                for pid in waiting {
                    if let child = childPid(of: pid) { kill(child, SIGKILL) }
                    kill(pid, SIGKILL)
                }
                break
            }
            if !waiting.isEmpty { usleep(50_000) }
        }
    }

    /// Whether `pid` is still running: neither gone nor a zombie waiting for Foundation's Process to reap it.
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// The guard's server: the child process of `pid`, read from /proc.
    private static func childPid(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else {
            return nil
        }
        return text.split(separator: " ").first.flatMap { Int32($0) }
    }

    /// The last lines of a log, for an error message.
    static func tail(of log: URL, lines: Int = 30) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// An error of the bench, said as it is.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A local port nothing listens on now, as the kernel hands one out.
enum LocalPort {
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw BenchError("no free local port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
