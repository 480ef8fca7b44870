import Curl
import Foundation
import Logging
import ServiceLifecycle
import StandardWebhooks
import SwitchboardBench
import Synchronization

/// One step of `switchboard bench e2e`: a desk, fresh servers on a fresh store, the open-loop load at one
/// rate, the wait for the handoffs, the figures. Everything it started is stopped before it returns.
struct EndToEndStep {
    var store: String
    var instances: Int
    var agents: Int
    var mix: LoadMix
    var rate: Int
    var duration: Double
    var drain: Double
    var criterion: SustainCriterion
    /// In a search: stop sending, and stop waiting, as soon as the step has certainly failed.
    var stopWhenFailed: Bool
    var ceilingSeconds: Double?
    var serverLogLevel: String
    /// Whether the desk accepts each offer (as agents do); without, offers lapse after the route's offer_timeout.
    var accept: Bool
    var number: Int

    /// Runs the step in `directory` (on `postgres` when given); returns its figures and, if asked, the ceiling.
    func run(directory parent: URL, postgres: ThrowawayPostgres?, client: CurlClient) async throws -> (StepResult, Double?) {
        let nonce = String(UUID().uuidString.prefix(8)).lowercased()
        let directory = parent.appendingPathComponent("step-\(number)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let setup = EndToEndSetup(
            directory: directory, sourceSecret: .generate(), deskSecret: .generate(), adminToken: "bench-admin-token-\(nonce)")
        let plan = LoadPlan(mix: mix, conversationRate: Double(rate), duration: duration, seed: UInt64(number))
        let record = EndToEndRecord(webhooks: plan.webhooks.count, conversations: plan.conversations)

        // The desk first: its URL goes into the agents file.
        var logger = Logger(label: "switchboard.bench.desk")
        logger.logLevel = .error
        let desk = EndToEndDesk(record: record, secret: setup.deskSecret, nonce: nonce)
        let (deskPorts, deskPort) = AsyncStream<Int>.makeStream()
        let deskGroup = ServiceGroup(
            configuration: .init(
                services: [desk.application(logger: logger) { deskPort.yield($0) }], logger: logger))
        let deskTask = Task { try await deskGroup.run() }
        defer { Task { await deskGroup.triggerGracefulShutdown() } }
        var ports = deskPorts.makeAsyncIterator()
        guard let port = await ports.next(), port > 0 else { throw BenchError("the bench's desk did not start") }

        try setup.writeTableAndAgents(
            agents: agents, capacity: EndToEndSetup.capacity(conversations: plan.conversations, agents: agents), deskPort: port)
        try setup.writeConfiguration(
            postgres: try postgres?.createDatabase("e2e_\(number)_\(nonce)"), logLevel: serverLogLevel)
        let servers = try await ServerProcesses.start(
            count: instances, config: setup.configPath, directory: directory, client: client)
        defer { servers.stop() }

        let ceiling: Double?
        if let ceilingSeconds {
            ceiling = await EndToEndLoad.ceiling(client: client, servers: servers.baseURLs, seconds: ceilingSeconds)
        } else {
            ceiling = nil
        }
        let signing = ContinuousClock.now
        let load = EndToEndLoad(plan: plan, nonce: nonce, secret: setup.sourceSecret, servers: servers.baseURLs)
        printNow(
            "  \(EndToEndReport.group(plan.webhooks.count)) webhooks signed in "
                + String(format: "%.2f s", Self.seconds(ContinuousClock.now - signing)) + "; sending open loop")

        // Accepts through a client of their own, so that they never queue behind the webhooks.
        let acceptClient = CurlClient()
        defer { acceptClient.shutdown() }
        let accepting = Task {
            await desk.acceptOffers(servers: servers.baseURLs, token: setup.adminToken, client: acceptClient, accept: accept)
        }
        let failed = SharedFlag(false)
        let sending = SharedFlag(true)
        let monitor = Task {
            await monitorProgress(record: record, plan: plan, servers: servers, failed: failed, sending: sending)
        }
        let stopWhenFailed = self.stopWhenFailed
        let shouldStop: @Sendable () -> Bool = { stopWhenFailed && failed.value }
        let cpuBefore = CPUTimes.now()
        let outcome = await load.run(client: client, record: record, shouldStop: shouldStop)
        sending.value = false

        // The wait for the handoffs: all in, or `drain` seconds after the last send, or (in a search) failed.
        let deadline = outcome.lastSend + UInt64(drain * 1e9)
        while monotonicNanoseconds() < deadline && !shouldStop() && servers.ended.isEmpty {
            let (handedOff, sent) = record.state.withLock { ($0.handedOff, $0.sent) }
            if handedOff >= plan.conversations || (outcome.stoppedEarly && handedOff >= conversationsSent(sent, plan)) { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        // The end of the wait: what arrives later (while the servers stop) is counted apart.
        let cutoff = monotonicNanoseconds()
        let cpuAfter = CPUTimes.now()
        monitor.cancel()
        _ = await monitor.value
        let metrics = await Self.metrics(servers: servers.baseURLs, token: setup.adminToken, client: client)
        // The accepts still in flight get 10 s; those left then are cancelled (counted as without an answer).
        desk.finish()
        let patience = Task {
            try await Task.sleep(for: .seconds(10))
            accepting.cancel()
        }
        _ = await accepting.value
        patience.cancel()
        let ended = servers.ended
        let stopping = monotonicNanoseconds()
        servers.stop()
        let stopped = monotonicNanoseconds()
        await deskGroup.triggerGracefulShutdown()
        _ = try? await deskTask.value
        var result = summarise(
            record: record, plan: plan, outcome: outcome, cutoff: cutoff, stopping: stopping, cpu: (cpuBefore, cpuAfter))
        result.secondsToStopAccepting = Double(stopping - cutoff) / 1e9
        result.secondsToStopServers = Double(stopped - stopping) / 1e9
        result.engineRebuilds = metrics["switchboard_engine_rebuilds_total"]
        result.offersTimedOut = metrics["switchboard_offers_timed_out_total"]
        result.serversEnded = ended
        return (result, ceiling)
    }

    /// How many conversations the first `sent` webhooks started.
    private func conversationsSent(_ sent: Int, _ plan: LoadPlan) -> Int {
        var low = 0
        var high = plan.conversationStarts.count
        while low < high {
            let middle = (low + high) / 2
            if plan.conversationStarts[middle] < sent { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Once a second: sent, acknowledged and handed off so far. In a search, also whether the step has failed.
    private func monitorProgress(
        record: EndToEndRecord, plan: LoadPlan, servers: ServerProcesses, failed: SharedFlag, sending: SharedFlag
    ) async {
        let start = ContinuousClock.now
        var lastHandedOff = 0
        let limit = UInt64(criterion.p99LimitMilliseconds * 1e6)
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { break }
            let snapshot = record.state.withLock {
                (sent: $0.sent, acknowledged: $0.acknowledged, handedOff: $0.handedOff, accepted: $0.accepted)
            }
            let slow = record.slow(limit: limit, now: monotonicNanoseconds(), conversationStarts: plan.conversationStarts)
            if criterion.hasFailed(slowSoFar: slow, total: plan.conversations) { failed.value = true }
            let elapsed = Int(Self.seconds(ContinuousClock.now - start).rounded())
            let group = EndToEndReport.group
            let phase = sending.value ? "sending" : "waiting"
            var line = "  [\(String(format: "%4d", elapsed)) s] \(phase)"
            line += "  sent \(group(snapshot.sent))/\(group(plan.webhooks.count))"
            line += "  acked \(group(snapshot.acknowledged))"
            line += "  handed off \(group(snapshot.handedOff))/\(group(plan.conversations))"
            line += " (+\(group(snapshot.handedOff - lastHandedOff))/s)"
            line += "  accepted \(group(snapshot.accepted))"
            line += "  over \(Int(criterion.p99LimitMilliseconds)) ms: \(group(slow))"
            printNow(line)
            lastHandedOff = snapshot.handedOff
            if !servers.ended.isEmpty { printNow("  server \(servers.ended) ended by itself") }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Counters from each server's `/metrics`, summed over the servers and over labels.
    static func metrics(servers: [String], token: String, client: CurlClient) async -> [String: Double] {
        var sums: [String: Double] = [:]
        for server in servers {
            let request = CurlRequest(
                url: "\(server)/metrics", headers: [HTTPHeader("Authorization", "Bearer \(token)")], timeout: .seconds(10))
            guard let response = try? await client.execute(request), response.status == 200 else { continue }
            for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                guard parts.count >= 2, let value = Double(parts[1]) else { continue }
                let name = String(parts[0].prefix { $0 != "{" })
                sums[name, default: 0] += value
            }
        }
        return sums
    }
}

