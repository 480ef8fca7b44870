import Curl
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresNIO
import SwitchboardConfig
import SwitchboardServer
import Synchronization

/// Several Switchboard instances in this process sharing one PostgreSQL database, each on a port of its
/// own, as several hosts would run them behind a load balancer. They share the environment's routes
/// directory and agents file (one image, one configuration), and nothing else: no instance knows the others.
final class Instances: Sendable {
    let environment: TestEnvironment
    let ports: [Int]
    private let tasks: [Task<Void, any Error>]
    let client = CurlClient()

    private init(environment: TestEnvironment, ports: [Int], tasks: [Task<Void, any Error>]) {
        self.environment = environment
        self.ports = ports
        self.tasks = tasks
    }

    /// Starts `count` instances on the database `url`, one after the other (each runs its migrations check
    /// and start-up reconciliation against what the earlier ones did).
    static func start(
        _ count: Int, database url: String, environment: TestEnvironment,
        configure: (inout SwitchboardConfiguration) -> Void = { _ in }
    ) async throws -> Instances {
        var ports: [Int] = []
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<count {
            var configuration = environment.configuration
            configuration.storage.postgres = url
            configuration.routesReloadSeconds = 0.2
            configure(&configuration)
            var logger = Logger(label: "test.instance\(index)")
            logger.logLevel =
                ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
                ?? .warning
            let (started, sink) = AsyncStream<Int>.makeStream()
            let app = try await buildApplication(
                configuration: configuration, logger: logger, onServerRunning: { sink.yield($0) })
            tasks.append(Task { try await app.runService(gracefulShutdownSignals: []) })
            var iterator = started.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("instance \(index) did not start") }
            ports.append(port)
        }
        return Instances(environment: environment, ports: ports, tasks: tasks)
    }

    func base(_ index: Int) -> String { "http://127.0.0.1:\(ports[index % ports.count])" }

    /// Posts a signed webhook to instance `index`; returns the status.
    func postInbound(_ index: Int, body: [UInt8], id: String) async throws -> Int {
        var request = CurlRequest(method: "POST", url: base(index) + "/v1/inbound/web", body: body)
        for field in environment.signedHeaders(body, id: id) {
            request.headers.append(HTTPHeader(field.name.rawName, field.value))
        }
        return try await client.execute(request).status
    }

    /// An admin API call on instance `index`; returns the status and body.
    @discardableResult
    func admin(_ index: Int, _ path: String, method: String = "GET", json: String? = nil) async throws
        -> (status: Int, body: String)
    {
        var request = CurlRequest(method: method, url: base(index) + path, body: json.map { Array($0.utf8) } ?? [])
        request.headers.append(HTTPHeader("Authorization", "Bearer \(TestEnvironment.adminToken)"))
        request.headers.append(HTTPHeader("Content-Type", "application/json"))
        let response = try await client.execute(request)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.result }
        client.shutdown()
    }
}

/// SQL against the test's database, to check what the instances did.
struct Database: Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>

    init(url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw TestFailure("bad url \(url)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: nil,
            database: String(components.path.dropFirst()), tls: .disable)
        configuration.options.maximumConnections = 2
        let client = PostgresClient(configuration: configuration)
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// The first column of the first row, as an integer.
    func count(_ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql)).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    func close() {
        runner.cancel()
    }
}
