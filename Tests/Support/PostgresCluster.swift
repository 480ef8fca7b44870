import Foundation
import Logging
import PostgresNIO

/// A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` binaries, `initdb` into a
/// temporary directory, a server on a free local port with trust authentication. One per test
/// process, started on first use; each test takes a database of its own (``database()``).
///
/// The server runs under a small shell guard that stops it, and removes its directory, as soon as the
/// test process is gone, however it ended. PostgreSQL refuses to run as root: as root, the cluster
/// belongs to the `postgres` user the Debian package creates, and the commands run through `runuser`.
public final class PostgresCluster: Sendable {
    public let port: Int
    public let directory: String

    /// The cluster of this test process.
    public static func shared() async throws -> PostgresCluster {
        try await Starter.shared.cluster()
    }

    private actor Starter {
        static let shared = Starter()
        private var started: Task<PostgresCluster, any Error>?

        func cluster() async throws -> PostgresCluster {
            if let started { return try await started.value }
            let task = Task { try await PostgresCluster.start() }
            started = task
            return try await task.value
        }
    }

    /// Connections to the `postgres` database, for making the tests' databases.
    private let admin: PostgresClient
    private let adminRunner: Task<Void, Never>

    private init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        configuration.options.maximumConnections = 4
        let admin = PostgresClient(configuration: configuration, backgroundLogger: Self.logger)
        self.admin = admin
        self.adminRunner = Task { await admin.run() }
    }

    /// A new, empty database; returns its URL. Made over a connection, not by `createdb`: tests ask for
    /// databases all at once, and Foundation's `Process.run` is not safe to call from many threads together.
    public func database() async throws -> String {
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Self.logger)
        return url(name)
    }

    static let logger = Logger(label: "test.postgres-cluster")

    /// Whether the server answers a query within a second.
    func answers() async -> Bool {
        let admin = self.admin
        return (try? await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await admin.query("SELECT 1", logger: Self.logger).collect()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(1))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }) ?? false
    }

    public func url(_ database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    // MARK: starting

    static var isRoot: Bool { getuid() == 0 }

    /// The newest installed PostgreSQL's program `name`.
    static func binary(_ name: String) throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions {
            let path = "\(root)/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ClusterError("PostgreSQL's \(name) not found under \(root): install Debian's postgresql (make test does)")
    }

    /// Starts a cluster; again on another port when the free port it picked was taken meanwhile (the server
    /// then exits at once, and its guard removes its directory).
    private static func start() async throws -> PostgresCluster {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await startOnce()
            } catch let error as ClusterError where error.serverExited && attempt < 3 {
                continue
            }
        }
    }

    private static func startOnce() async throws -> PostgresCluster {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if isRoot {
            try await run("/bin/chown", ["postgres:postgres", directory])
        }
        let data = directory + "/data"
        try await run(
            try binary("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            asPostgres: true)
        let port = try FreePort.find()
        // The guard: starts the server, stops it when the test process is gone (looked for in /proc: as the
        // postgres user, kill -0 on a process of root fails whether it lives or not).
        let script = """
            "$1" -D "$2" -p "$3" -k "$2" -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 &
            server=$!
            trap 'kill -INT $server 2>/dev/null; wait $server; rm -rf "$4"; exit 0' TERM INT
            while [ -d "/proc/$5" ] && kill -0 $server 2>/dev/null; do sleep 0.5; done
            kill -INT $server 2>/dev/null; wait $server; rm -rf "$4"
            """
        let arguments = ["-c", script, "pg-guard", try binary("postgres"), data, "\(port)", directory, "\(getpid())"]
        let process =
            isRoot
            ? try SpawnedProcess.start("/usr/sbin/runuser", ["-u", "postgres", "--", "/bin/sh"] + arguments)
            : try SpawnedProcess.start("/bin/sh", arguments)
        let deadline = Date().addingTimeInterval(30)
        let cluster = PostgresCluster(port: port, directory: directory)
        while Date() < deadline {
            if await cluster.answers() { return cluster }
            if !process.isRunning {
                throw ClusterError("PostgreSQL exited before it accepted connections on port \(port)", serverExited: true)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterError("PostgreSQL did not accept connections on port \(port) within 30 s")
    }

    /// Runs a program to its end; throws with its output when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asPostgres: Bool = false) async throws -> String {
        let run =
            asPostgres && isRoot
            ? try await SpawnedProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
            : try await SpawnedProcess.run(program, arguments)
        guard run.status == 0, run.reason == .exit else {
            throw ClusterError("\(program) \(arguments.joined(separator: " ")) failed: \(run.output)")
        }
        return run.output
    }
}

struct ClusterError: Error, CustomStringConvertible {
    var description: String
    /// The server stopped by itself (its port was taken): worth another try.
    var serverExited = false

    init(_ description: String, serverExited: Bool = false) {
        self.description = description
        self.serverExited = serverExited
    }
}
