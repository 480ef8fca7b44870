import Curl
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Three `switchboard serve` processes on one PostgreSQL database, one IMAP mailbox polled by whichever
/// holds its lease. Mid-load, the lease holder is killed with SIGKILL. Nothing acknowledged is lost, every
/// mail is taken once, and the mailbox's lease moves to another instance, which carries on polling.
@Suite("Several instances, one killed", .serialized)
struct InstanceKillTests {
    static let webhooks = 240
    static let mails = 20

    @Test("kill -9 of the instance polling the mailbox mid-load: nothing lost or doubled, its lease moves on")
    func killTheLeaseHolder() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: KillTests.binary), "\(KillTests.binary) is missing: run swift build")
        let url = try await PostgresCluster.shared().database()
        let dovecot = try await Dovecot.start()
        defer { dovecot.stop() }
        let desk = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", capacity: "{chat: 500, email: 500}", desk: desk)
        ])
        defer { environment.remove() }
        let configPath = environment.directory.appendingPathComponent("switchboard.yaml").path
        try """
            server: {host: 127.0.0.1, port: 8080}
            storage: {postgres: "\(url)"}
            routes: "\(environment.configuration.routes)"
            routes_reload_seconds: 0.5
            agents: "\(environment.configuration.agents)"
            admin_tokens: ["\(TestEnvironment.adminToken)"]
            instances: {lease_seconds: 2}
            delivery: {timeout_seconds: 1, initial_backoff_seconds: 0.1, max_backoff_seconds: 0.5}
            log_level: error
            sources:
              - {name: web, kind: standard, secret: "\(environment.sourceSecret.stringValue)"}
              - {name: mail, kind: imap, url: "\(dovecot.url)", username: \(Dovecot.user), password: \(Dovecot.password), interval: 0.2s}
            """.write(toFile: configPath, atomically: true, encoding: .utf8)

        var processes: [SpawnedProcess] = []
        var ports: [Int] = []
        defer { for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let client = CurlClient()
        defer { client.shutdown() }
        // Each on a port that was free a moment ago; one taken meanwhile makes the process exit, and it is
        // started again on another.
        for _ in 0..<3 {
            var started = false
            for _ in 0..<3 where !started {
                let port = try FreePort.find()
                let process = try SpawnedProcess.start(
                    KillTests.binary, ["serve", "--config", configPath],
                    environment: ProcessInfo.processInfo.environment.merging(["SWITCHBOARD_SERVER_PORT": "\(port)"]) { $1 })
                for _ in 0..<400 where !started && process.isRunning {
                    started = (try? await client.execute(CurlRequest(url: "http://127.0.0.1:\(port)/health")))?.status == 200
                    if !started { try await Task.sleep(for: .milliseconds(50)) }
                }
                if started {
                    processes.append(process)
                    ports.append(port)
                } else if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                }
            }
            try #require(started, "an instance did not start")
        }
        let database = try Database(url: url)
        defer { database.close() }

        // Which process polls the mailbox: the lease's holder is host/pid/random.
        func holderPid() async throws -> Int32? {
            let rows = try await database.client.query("SELECT holder FROM leases WHERE name = 'poll:mail'").collect()
            guard let holder = try rows.first?.decode(String.self) else { return nil }
            return Int32(holder.split(separator: "/").dropFirst().first ?? "")
        }
        var holder: Int32?
        for _ in 0..<100 where holder == nil {
            holder = try await holderPid()
            if holder == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let victim = try #require(processes.firstIndex { $0.processIdentifier == holder }, "nobody took the mailbox's lease")

        for number in 0..<Self.mails / 2 {
            try await dovecot.append(ImapEndToEndTests.mail(id: "mail-\(number)@example.com", subject: "Order \(number)", body: "Where is order \(number)?"))
        }
        // Webhooks to every instance, concurrently; the lease holder is killed when half are acknowledged.
        let signing = environment
        let targets = ports
        let acknowledged = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<Self.webhooks {
                group.addTask {
                    let body = TestEnvironment.body(
                        conversation: "k-\(index % 60)", customerId: "u-\(index % 60)", email: "k\(index % 60)@example.com",
                        messageId: "m-\(index)", text: "my parcel is late (\(index))")
                    let request = CurlRequest(
                        method: "POST", url: "http://127.0.0.1:\(targets[index % targets.count])/v1/inbound/web",
                        headers: signing.signedHeaders(body, id: "wh-\(index)").map { HTTPHeader($0.name.rawName, $0.value) },
                        body: body)
                    return (try? await client.execute(request))?.status == 202 ? index : nil
                }
            }
            var acknowledged: [Int] = []
            for try await index in group {
                if let index { acknowledged.append(index) }
                if acknowledged.count == Self.webhooks / 2 { kill(processes[victim].processIdentifier, SIGKILL) }
            }
            return acknowledged
        }
        processes[victim].waitUntilExit()
        #expect(processes[victim].terminationReason == .uncaughtSignal)
        for number in Self.mails / 2..<Self.mails {
            try await dovecot.append(ImapEndToEndTests.mail(id: "mail-\(number)@example.com", subject: "Order \(number)", body: "Where is order \(number)?"))
        }

        // The survivors take the lease over and finish: every acknowledged webhook and every mail stored
        // and routed.
        let deadline = ContinuousClock.now + .seconds(30)
        var mails = 0
        var routed = false
        var newHolder: Int32?
        while ContinuousClock.now < deadline {
            mails = try await database.count("SELECT count(*) FROM inbound_events WHERE source = 'mail'")
            routed = try await database.count("SELECT position FROM cursors WHERE name = 'router'")
                == database.count("SELECT COALESCE(max(seq), 0) FROM inbound_events")
            newHolder = try await holderPid()
            if mails == Self.mails, routed, newHolder != holder { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(newHolder != nil && newHolder != holder, "the mailbox's lease did not move")
        #expect(mails == Self.mails, "every mail taken once")
        #expect(routed, "the router reached the end of the log")
        #expect(acknowledged.count >= Self.webhooks / 2)
        let stored = Set(
            try await database.client.query("SELECT webhook_id FROM inbound_events WHERE source = 'web'").collect()
                .map { try $0.decode(String.self) })
        let missing = acknowledged.filter { !stored.contains("wh-\($0)") }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing)")
        // Each stored message once; each conversation routed; no conversation with two agents.
        #expect(
            try await database.count("SELECT count(*) FROM messages")
                == database.count("SELECT count(*) FROM inbound_events"))
        #expect(try await database.count("SELECT count(*) FROM conversations c WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.conversation_id = c.id)") == 0)
        #expect(
            try await database.count(
                """
                SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM assignments
                  WHERE released_at IS NULL GROUP BY conversation_id) AS held
                """) <= 1, "a conversation is held by two agents")
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { await process.exit() }
        await desk.stop()
    }
}
