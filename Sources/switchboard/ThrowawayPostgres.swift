import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of the bench's own: Debian's `postgresql` binaries, `initdb` into a temporary
/// directory, `pg_ctl start` on a free local port with trust authentication and the default settings
/// (`fsync = on`, `synchronous_commit = on`): a durable commit is what is measured.
///
/// Stopped with ``stop()`` (also on SIGINT/SIGTERM, through ``ExitCleanup``), and by a watchdog once this
/// process is gone however it ended. PostgreSQL refuses to run as root: as root, the cluster belongs to the
/// `postgres` user the Debian package creates, and its commands run through `runuser`.
final class ThrowawayPostgres: Sendable {
    let port: Int
    /// The directory holding the cluster (`data/`) and its log; removed on stop.
    let directory: String
    private let cleanup: Int
    private let stopped = Mutex(false)

    private init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
        cleanup = ExitCleanup.register("postgres") { ThrowawayPostgres.stop(directory: directory) }
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

    /// initdb and start, on another port if the one picked was taken meanwhile.
    static func start(under parent: URL) throws -> ThrowawayPostgres {
        let directory = parent.appendingPathComponent("postgres").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if isRoot { try run("/bin/chown", ["postgres:postgres", directory]) }
        let data = directory + "/data"
        try run(try binary("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], asPostgres: true)
        try watch(directory: directory, data: data)
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try LocalPort.free()
            do {
                try run(
                    try binary("pg_ctl"),
                    [
                        "-D", data, "-l", directory + "/postgres.log", "-w", "-t", "60",
                        "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1", "start",
                    ], asPostgres: true)
                return ThrowawayPostgres(port: port, directory: directory)
            } catch {
                lastError = error
            }
        }
        stop(directory: directory)
        throw lastError ?? BenchError("PostgreSQL did not start")
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
        _ = try? run(try binary("pg_ctl"), ["-D", directory + "/data", "-m", "fast", "-w", "stop"], asPostgres: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A watchdog that stops the cluster and removes its directory once this process is gone; it ends by
    /// itself when the directory was removed (a normal stop).
    private static func watch(directory: String, data: String) throws {
        let script = """
            while [ -d "/proc/$1" ] && [ -d "$2" ]; do sleep 1; done
            [ -d "$2" ] && "$3" -D "$2" -m fast stop >/dev/null 2>&1; rm -rf "$4"
            """
        let process = command(
            "/bin/sh", ["-c", script, "pg-watchdog", "\(getpid())", data, try binary("pg_ctl"), directory], asPostgres: true)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
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
