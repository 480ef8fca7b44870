import Curl
import Foundation
import TestSupport

/// A throwaway Matrix homeserver for the tests: Synapse from PyPI, in the venv `make test-env` builds
/// (`SWITCHBOARD_TEST_SYNAPSE_PYTHON`, else `.venv-synapse/bin/python3` in the package), with a generated
/// config, SQLite, a free local port, open registration and no rate limits, in a temporary directory.
///
/// Started as a child process and stopped (SIGTERM, then SIGKILL) by ``stop()``. When Synapse is not installed
/// or does not come up, ``start()`` throws with the reason and the end of its log: the tests fail, never skip.
final class Synapse: @unchecked Sendable {
    let url: String
    let directory: URL
    private let process: SpawnedProcess
    private let client = CurlClient()
    static let serverName = "localhost"

    private init(url: String, directory: URL, process: SpawnedProcess) {
        self.url = url
        self.directory = directory
        self.process = process
    }

    static func python() throws -> URL {
        let environment = ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_SYNAPSE_PYTHON"].flatMap {
            $0.isEmpty ? nil : $0
        }
        let python = URL(
            fileURLWithPath: environment
                ?? SchemaValidator.packageRoot.appendingPathComponent(".venv-synapse/bin/python3").path)
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw TestFailure(
                "no Python with Synapse for the Matrix tests at \(python.path)"
                    + (environment == nil ? " (SWITCHBOARD_TEST_SYNAPSE_PYTHON is not set)" : "")
                    + "; run `make test-env` (or `make test`) to create the venv with matrix-synapse")
        }
        return python
    }

    /// Generates a config, starts Synapse and waits until it answers `/_matrix/client/versions`.
    static func start() async throws -> Synapse {
        let python = try python()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-synapse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("homeserver.yaml")
        let generated = try await ChildProcess.run(
            python,
            ["-m", "synapse.app.homeserver", "--server-name", serverName, "--config-path", config.path,
             "--generate-config", "--report-stats=no"],
            in: directory)
        guard generated.status == 0 else {
            throw TestFailure("Synapse could not generate its config (exit \(generated.status)): \(generated.output.suffix(2000))")
        }
        // The free port may be taken by another test before Synapse binds it: then it exits, and is started
        // again on another port.
        var attempt = 0
        while true {
            attempt += 1
            let port = try await freePort(python)
            do {
                return try await launch(python: python, directory: directory, config: config, port: port)
            } catch let failure as LaunchFailure where failure.portTaken && attempt < 3 {
                continue
            } catch let failure as LaunchFailure {
                throw TestFailure(failure.message)
            }
        }
    }

    private struct LaunchFailure: Error {
        var message: String
        var portTaken: Bool
    }

    private static func launch(python: URL, directory: URL, config: URL, port: Int) async throws -> Synapse {
        // A second config file overrides the generated one key by key.
        let overrides = """
            listeners:
              - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false,
                 resources: [{names: [client], compress: false}]}
            database: {name: sqlite3, args: {database: '\(directory.path)/homeserver.db'}}
            enable_registration: true
            enable_registration_without_verification: true
            suppress_key_server_warning: true
            trusted_key_servers: []
            report_stats: false
            presence: {enabled: false}
            rc_message: {per_second: 10000, burst_count: 10000}
            rc_registration: {per_second: 10000, burst_count: 10000}
            rc_login:
              address: {per_second: 10000, burst_count: 10000}
              account: {per_second: 10000, burst_count: 10000}
              failed_attempts: {per_second: 10000, burst_count: 10000}
            rc_joins:
              local: {per_second: 10000, burst_count: 10000}
              remote: {per_second: 10000, burst_count: 10000}
            rc_invites:
              per_room: {per_second: 10000, burst_count: 10000}
              per_user: {per_second: 10000, burst_count: 10000}
            """
        let overridesFile = directory.appendingPathComponent("overrides.yaml")
        try overrides.write(to: overridesFile, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("stdout.log")
        try Data().write(to: log)
        let process = try SpawnedProcess.start(
            python.path, ["-m", "synapse.app.homeserver", "-c", config.path, "-c", overridesFile.path],
            directory: directory.path, output: log.path)
        let synapse = Synapse(url: "http://127.0.0.1:\(port)", directory: directory, process: process)
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if !process.isRunning { break }
            if let response = try? await synapse.client.execute(
                CurlRequest(url: synapse.url + "/_matrix/client/versions", timeout: .seconds(2))), response.status == 200
            {
                return synapse
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(3000)
        let homeserverLog = ((try? String(contentsOf: directory.appendingPathComponent("homeserver.log"), encoding: .utf8)) ?? "").suffix(3000)
        let portTaken = tail.contains("Failed to listen on TCP port")
        if portTaken {
            // Keep the directory (its generated config and keys) for the next attempt.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            synapse.client.shutdown()
        } else {
            synapse.stop()
        }
        throw LaunchFailure(
            message: "Synapse did not come up on \(synapse.url):\n\(tail)\n\(homeserverLog)", portTaken: portTaken)
    }

    /// Stops the homeserver and removes its directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        client.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: the client-server API, as a Matrix user

    /// A Matrix user of this homeserver with their access token.
    struct User {
        var id: String
        var token: String
        var password: String
    }

    /// Registers `name` through `/register` with the dummy auth open registration allows.
    func register(_ name: String) async throws -> User {
        let password = "pw-\(UUID().uuidString)"
        let object = try await call(
            "POST", "/_matrix/client/v3/register", token: nil,
            ["username": name, "password": password, "auth": ["type": "m.login.dummy"], "inhibit_login": false])
        guard let id = object["user_id"] as? String, let token = object["access_token"] as? String else {
            throw TestFailure("register \(name): no user_id or access_token in \(object)")
        }
        return User(id: id, token: token, password: password)
    }

    /// Creates a private room as `user`, inviting `invite`; returns the room id.
    func createRoom(_ user: User, invite: [String]) async throws -> String {
        let object = try await call(
            "POST", "/_matrix/client/v3/createRoom", token: user.token, ["preset": "private_chat", "invite": invite])
        guard let room = object["room_id"] as? String else { throw TestFailure("createRoom: \(object)") }
        return room
    }

    /// Sends a text message as `user`; returns the event id.
    @discardableResult
    func send(_ user: User, room: String, _ text: String) async throws -> String {
        let path = "/_matrix/client/v3/rooms/\(Self.segment(room))/send/m.room.message/\(UUID().uuidString)"
        let object = try await call("PUT", path, token: user.token, ["msgtype": "m.text", "body": text])
        guard let id = object["event_id"] as? String else { throw TestFailure("send: \(object)") }
        return id
    }

    /// The room's latest events as `user` sees them, newest first.
    func messages(_ user: User, room: String) async throws -> [[String: Any]] {
        let object = try await call(
            "GET", "/_matrix/client/v3/rooms/\(Self.segment(room))/messages?dir=b&limit=50", token: user.token, nil)
        return object["chunk"] as? [[String: Any]] ?? []
    }

    /// Waits until `user` sees an event in `room` matching `predicate`; returns the matches.
    func waitForEvents(
        _ user: User, room: String, timeout: Duration = .seconds(15), where predicate: ([String: Any]) -> Bool
    ) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = try await messages(user, room: room).filter(predicate)
            if !found.isEmpty || ContinuousClock.now >= deadline { return found }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func call(_ method: String, _ path: String, token: String?, _ body: [String: Any]?) async throws -> [String: Any] {
        var headers = [HTTPHeader("Content-Type", "application/json")]
        if let token { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let response = try await client.execute(CurlRequest(method: method, url: url + path, headers: headers, body: bytes))
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status) else {
            throw TestFailure("\(method) \(path): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return object
    }

    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }

    // MARK: processes

    /// A port nothing listens on, as the kernel hands one out.
    private static func freePort(_ python: URL) async throws -> Int {
        let result = try await ChildProcess.run(
            python, ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"],
            in: FileManager.default.temporaryDirectory)
        guard let port = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("no free port: \(result.output)")
        }
        return port
    }
}
