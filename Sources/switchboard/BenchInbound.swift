import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StandardWebhooks
import SwitchboardConfig
import SwitchboardServer
import SwitchboardSQLite
import SwitchboardStore

/// `switchboard bench inbound` (the default of `switchboard bench`): the inbound path under load. Starts the server on a temporary store with a
/// desk receiving the handoffs, pre-signs unique webhooks, drives them with wrk over loopback and
/// prints the durable acknowledgements per second and the latency percentiles. Run it on a release build.
struct BenchInbound: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbound", abstract: "Load-test the inbound path with wrk (release build: make bench).")

    @Option(help: "Seconds of load.") var duration = 10
    @Option(help: "Concurrent connections.") var connections = 64
    @Option(help: "wrk threads.") var threads = 2
    @Option(help: "Routing tables for the run.") var routes = "Routes"
    @Option(help: "Signed requests to prepare (each is sent once: webhook ids are unique).") var requests = 400_000

    func run() async throws {
        guard let wrk = Self.which("wrk") else {
            throw ValidationError("wrk is not installed: apt-get install wrk (make bench installs it)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var logger = Logger(label: "switchboard.bench")
        logger.logLevel = .error
        let deskSecret = WebhookSecret.generate()
        let desk = DeskReceiver(secret: deskSecret)
        let deskPorts = AsyncStream<Int>.makeStream()
        let deskApp = desk.application(port: 0, logger: logger, onServerRunning: { deskPorts.continuation.yield($0) }) {
            _ in
        }
        let deskGroup = ServiceGroup(configuration: .init(services: [deskApp], logger: logger))
        let deskTask = Task { try await deskGroup.run() }
        var deskIterator = deskPorts.stream.makeAsyncIterator()
        guard let deskPort = await deskIterator.next() else { throw ValidationError("the bench desk did not start") }

        let agents = (1...20).map { index in
            "  - {id: agent-\(index), name: Agent \(index), status: online, skills: {billing: 4, general: 3}, "
                + "authority: {refund_limit: 1000}, capacity: {chat: 5, email: 10}, "
                + "desk: {url: \"http://127.0.0.1:\(deskPort)/handoffs\", secret: \"\(deskSecret.stringValue)\"}}\n"
        }.joined()
        let agentsPath = directory.appendingPathComponent("agents.yaml").path
        try ("agents:\n" + agents).write(toFile: agentsPath, atomically: true, encoding: .utf8)

        let sourceSecret = WebhookSecret.generate()
        var settings = SwitchboardConfiguration()
        settings.server = ServerSettings(host: "127.0.0.1", port: 0)
        settings.storage = StorageSettings(sqlite: directory.appendingPathComponent("bench.db").path)
        settings.routes = routes
        settings.agents = agentsPath
        settings.sources = [SourceSettings(name: "web", kind: .standard, secret: sourceSecret.stringValue)]
        settings.adminTokens = ["bench"]

        let ports = AsyncStream<Int>.makeStream()
        let app = try await buildApplication(configuration: settings, logger: logger) { ports.continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let serverTask = Task { try await group.run() }
        var iterator = ports.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ValidationError("the server did not start") }

        let requestsPath = directory.appendingPathComponent("requests.tsv").path
        let started = ContinuousClock.now
        try Self.writeSignedRequests(count: requests, secret: sourceSecret, to: requestsPath)
        print("prepared \(requests) signed webhooks in \(ContinuousClock.now - started)")
        let scriptPath = directory.appendingPathComponent("inbound.lua").path
        try Self.luaScript(requestsPath: requestsPath, threads: threads).write(
            toFile: scriptPath, atomically: true, encoding: .utf8)

        print(
            "wrk -t\(threads) -c\(connections) -d\(duration)s against http://127.0.0.1:\(port)/v1/inbound/web (release build, SQLite synchronous=FULL, group commit)"
        )
        // First the same server, wrk and machine on an endpoint that does no work, while the router
        // is idle: the ceiling the inbound figure is compared against, since this machine is shared and noisy.
        let ceiling = try Self.runProcess(
            wrk, ["-t\(threads)", "-c\(connections)", "-d\(min(duration, 5))s", "http://127.0.0.1:\(port)/health"])
        let ceilingRate = ceiling.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
        let output = try Self.runProcess(
            wrk,
            [
                "-t\(threads)", "-c\(connections)", "-d\(duration)s", "--timeout", "5s", "-s", scriptPath,
                "http://127.0.0.1:\(port)",
            ])
        // Routing runs behind the acknowledgements; time how long it takes to catch up.
        let loadEnded = ContinuousClock.now
        let observer = try SQLiteStore(path: settings.storage.sqlite)
        // Every stored event was acknowledged with 202 (the ids are unique); counting them in the log
        // keeps wrk free of a per-response Lua callback, which would make the load generator the bottleneck.
        let stored = try await observer.inboundEventCount()
        var backlog = try await observer.backlog()
        let backlogAtEnd = backlog
        while backlog > 0, ContinuousClock.now - loadEnded < .seconds(300) {
            try await Task.sleep(for: .milliseconds(200))
            backlog = try await observer.backlog()
        }
        let catchUp = ContinuousClock.now - loadEnded
        await group.triggerGracefulShutdown()
        _ = try? await serverTask.value
        await deskGroup.triggerGracefulShutdown()
        _ = try? await deskTask.value

        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("BENCH ") }) else {
            print(output)
            throw ValidationError("wrk did not report results")
        }
        var figures: [String: String] = [:]
        for pair in line.dropFirst("BENCH ".count).split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { figures[String(parts[0])] = String(parts[1]) }
        }
        print(output.split(separator: "\n").filter { !$0.hasPrefix("BENCH ") }.joined(separator: "\n"))
        let seconds = figures["seconds"].flatMap(Double.init) ?? Double(duration)
        let rate = Double(stored) / seconds
        print(
            """

            acknowledged (202, durable): \(stored) events in the log after \(figures["seconds"] ?? "?") s (wrk completed \(figures["requests"] ?? "?"))
            acknowledged per second:     \(Int(rate))
            latency p50 / p99 / max:     \(figures["p50_ms"] ?? "?") / \(figures["p99_ms"] ?? "?") / \(figures["max_ms"] ?? "?") ms
            non-2xx / socket errors:     \(figures["non2xx"] ?? "?") / \(figures["socket_errors"] ?? "?")
            ceiling, GET /health, same run:  \(ceilingRate.map { String(Int($0)) } ?? "?") requests per second
            routing backlog at the end:  \(backlogAtEnd) events, all routed \(catchUp.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))) later\(backlog > 0 ? " (NOT caught up: \(backlog) left)" : "")
            """)
        if let ceilingRate, ceilingRate > 0 {
            print("inbound / ceiling:            \(Int((rate / ceilingRate * 100).rounded())) %")
        }
    }

    /// One line per request: webhook id, timestamp, signature, body. Conversations and customers repeat,
    /// so the router sees follow-ups and returning customers as well as new conversations.
    static func writeSignedRequests(count: Int, secret: WebhookSecret, to path: String) throws {
        let signer = WebhookSigner(secret: secret)
        let timestamp = Int(Date().timeIntervalSince1970)
        let texts = [
            "I was charged twice, I want a refund of $300", "where is my parcel?", "please refund $20",
            "this is ridiculous",
        ]
        var out = ""
        out.reserveCapacity(count * 420)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        for index in 0..<count {
            let body = """
                {"conversation_id":"bench-\(index % 50_000)","channel":"chat","customer":{"id":"u-\(index % 20_000)","name":"Customer \(index % 20_000)","email":"c\(index % 20_000)@example.com"},"message":{"id":"m-\(index)","text":"\(texts[index % texts.count])","sent_at":"2026-11-23T10:00:00Z"},"attributes":{"tier":"gold","language":"en"}}
                """
            let id = "msg_bench_\(index)"
            let signature = signer.signature(id: id, timestamp: timestamp, body: Array(body.utf8))
            out += "\(id)\t\(timestamp)\t\(signature)\t\(body)\n"
            if out.utf8.count > 1 << 22 {
                handle.write(Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(out.utf8))
    }

    /// Each wrk thread sends its own slice of the prepared requests, each once.
    static func luaScript(requestsPath: String, threads: Int) -> String {
        """
        local threads = {}
        local counter = 0
        function setup(thread)
          thread:set("index", counter)
          counter = counter + 1
          table.insert(threads, thread)
        end
        function init(args)
          requests = {}
          local n = 0
          local i = 0
          for line in io.lines("\(requestsPath)") do
            if i % \(threads) == index then
              local id, ts, sig, body = line:match("([^\\t]+)\\t([^\\t]+)\\t([^\\t]+)\\t(.*)")
              n = n + 1
              requests[n] = wrk.format("POST", "/v1/inbound/web", {
                ["Content-Type"] = "application/json", ["webhook-id"] = id,
                ["webhook-timestamp"] = ts, ["webhook-signature"] = sig }, body)
            end
            i = i + 1
          end
          total = n
          position = 0
        end
        function request()
          position = position + 1
          if position > total then position = 1 end
          return requests[position]
        end
        function done(summary, latency, requests)
          local seconds = summary.duration / 1e6
          local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
          io.write(string.format("BENCH requests=%d non2xx=%d seconds=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d\\n",
            summary.requests, summary.errors.status, seconds,
            latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
        end
        """
    }

    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func runProcess(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
