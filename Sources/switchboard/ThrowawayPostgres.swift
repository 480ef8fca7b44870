import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of the bench's own: Debian's `postgresql` binaries, `initdb` into a temporary
/// directory, the server on a free local port with trust authentication and the default settings
/// (`fsync = on`, `synchronous_commit = on`): a durable commit is what is measured.
///
/// Stopped with ``stop()`` (also on SIGINT/SIGTERM, through ``ExitCleanup``), and by its guard once this
/// process is gone however it ended. PostgreSQL refuses to run as root: as root, the cluster belongs to the
/// `postgres` user the Debian package creates, and its commands run through `runuser`.
final class ThrowawayPostgres: Sendable {
    let port: Int
    /// The directory holding the cluster (`data/`) and its log; removed on stop.
    let directory: String
    private let cleanup: Int
    private let stopped = Mutex(false)

    private init(port: Int, directory: String, cleanup: Int) {
        self.port = port
        self.directory = directory
        self.cleanup = cleanup
    }

    /// The URL of database `name` on this cluster.
    func url(_ name: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(name)?sslmode=disable"
    }

    /// Creates the empty database `name`; returns its URL.
    func createDatabase(_ name: String) throws -> String {
        try Self.run(try Self.binary("createdb"), ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name])
        return url(name)
    }

    /// A server setting as the server reports it (`SHOW fsync`).
    func setting(_ name: String) -> String {
        let output = try? Self.run(
            try Self.binary("psql"),
            ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-Atc", "SHOW \(name)"])
        return output?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    /// initdb and start, on another port if the one picked was taken meanwhile (the server then exits at once).
    static func start(under parent: URL) async throws -> ThrowawayPostgres {
        let directory = parent.appendingPathComponent("postgres").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Registered before anything starts, so that an interrupted start is undone too.
        let cleanup = ExitCleanup.register("postgres") { ThrowawayPostgres.stop(directory: directory) }
        do {
            if isRoot { try run("/bin/chown", ["postgres:postgres", directory]) }
            let data = directory + "/data"
            try run(try binary("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], asPostgres: true)
            for _ in 0..<3 {
                let port = try LocalPort.free()
                let server = try launch(data: data, port: port, directory: directory)
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline && server.isRunning {
                    if (try? run(try binary("pg_isready"), ["-q", "-h", "127.0.0.1", "-p", "\(port)"])) != nil {
                        return ThrowawayPostgres(port: port, directory: directory, cleanup: cleanup)
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                if server.isRunning { break }
            }
            let log = (try? String(contentsOfFile: directory + "/postgres.log", encoding: .utf8)) ?? ""
            throw BenchError("PostgreSQL did not start; its log:\n\(log.suffix(2000))")
        } catch {
            ExitCleanup.unregister(cleanup)
            stop(directory: directory)
            throw error
        }
    }

    /// The server under a shell guard, as the tests run theirs: the guard stops it (fast shutdown) and
    /// removes the directory once this process is gone, however it ended, or when told to (SIGTERM). A
    /// normal stop is `pg_ctl stop`, after which the guard ends by itself. `pg_ctl start` is not used: the
    /// server it leaves behind would inherit the descriptor Foundation's `Process` watches to see pg_ctl end.
    private static func launch(data: String, port: Int, directory: String) throws -> Process {
        let script = """
            "$1" -D "$2" -p "$3" -k "$4" -c listen_addresses=127.0.0.1 &
            server=$!
            alive() { kill -0 $server 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' /proc/$server/status; }
            trap 'kill -INT $server 2>/dev/null; wait $server; rm -rf "$4"; exit 0' TERM INT
            while [ -d "/proc/$5" ] && alive; do sleep 0.5; done
            kill -INT $server 2>/dev/null; wait $server; [ -d "/proc/$5" ] || rm -rf "$4"
            """
        let process = command(
            "/bin/sh", ["-c", script, "pg-guard", try binary("postgres"), data, "\(port)", directory, "\(getpid())"],
            asPostgres: true)
        let logPath = directory + "/postgres.log"
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops the cluster (fast shutdown) and removes its directory. Idempotent.
    func stop() {
        let already = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !already else { return }
        Self.stop(directory: directory)
        ExitCleanup.unregister(cleanup)
    }

    private static func stop(directory: String) {
        if FileManager.default.fileExists(atPath: directory + "/data/postmaster.pid") {
            _ = try? run(try binary("pg_ctl"), ["-D", directory + "/data", "-m", "fast", "-w", "stop"], asPostgres: true)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static var isRoot: Bool { getuid() == 0 }

    /// The newest installed PostgreSQL's program `name`.
    static func binary(_ name: String) throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init)
        for version in versions.sorted(by: >) {
            let path = "\(root)/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BenchError("PostgreSQL's \(name) not found under \(root): apt-get install postgresql (make bench-e2e does)")
    }

    private static func command(_ program: String, _ arguments: [String], asPostgres: Bool) -> Process {
        let process = Process()
        if asPostgres && isRoot {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", program] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        }
        return process
    }

    /// Runs a program to its end; throws with its output when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asPostgres: Bool = false) throws -> String {
        let process = command(program, arguments, asPostgres: asPostgres)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchError("\(program) \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }
}
