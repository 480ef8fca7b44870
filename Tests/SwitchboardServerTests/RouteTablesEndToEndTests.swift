import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// Routing tables as an admin works on them over HTTP: versions, a draft validated as `routes check`
/// validates, simulation and replay that change nothing, an atomic publish, rollback, the routes
/// directory as a second way in, and the audit trail.
@Suite("Routing tables end to end")
struct RouteTablesEndToEndTests {
    /// The test table with the general route asking for general 4 instead of 1: only ben qualifies.
    static let strictGeneral = TestEnvironment.routes.replacingOccurrences(
        of: "require: {skills: {general: 1}}", with: "require: {skills: {general: 4}}")

    /// Ana: billing 4, general 3; ben: billing 3, general 4.
    static func agents(ana: TestDesk, ben: TestDesk) -> [String] {
        [
            TestEnvironment.agent(
                "ana", name: "Ana Ruiz", skills: "{billing: 4, general: 3}", authority: "{refund_limit: 500}", desk: ana),
            TestEnvironment.agent(
                "ben", name: "Ben Okafor", skills: "{billing: 3, general: 4}", authority: "{refund_limit: 50}", desk: ben),
        ]
    }

    @Test("the table in Routes/ is version 1; GET /v1/routes and the version list show it")
    func firstVersion() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let published = try await client.admin("/v1/routes")
            #expect(published.status == .ok)
            #expect(published.json["version"] as? Int == 1)
            #expect(published.json["source"] as? String == "file")
            let files = published.json["files"] as? [[String: Any]] ?? []
            #expect(files.map { $0["name"] as? String } == ["support.yaml"])
            #expect(files.first?["yaml"] as? String == TestEnvironment.routes)

            let versions = try await client.admin("/v1/routes/versions")
            #expect(versions.json["published"] as? Int == 1)
            #expect((versions.json["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])
            #expect(try await client.admin("/v1/routes/versions/1").json["files"] != nil)
            let missing = try await client.admin("/v1/routes/versions/9")
            #expect(missing.status == .notFound)
            #expect(missing.errorMessage == "there is no version 9")
            #expect(try await client.admin("/v1/routes/versions/nine").status == .badRequest)
        }
    }

    @Test("a draft with mistakes answers 422 with each problem at line:column in the words of routes check, and is kept")
    func invalidDraft() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        let broken = TestEnvironment.routes
            .replacingOccurrences(of: "skills: {billing: 3}", with: "skills: {billing: 7}")
            .replacingOccurrences(of: "intent == \"refund\"", with: "intnet == \"refund\"")
        // What `switchboard routes check` prints for the same file.
        let checked = FileManager.default.temporaryDirectory.appendingPathComponent("routes-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: checked, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: checked) }
        try broken.write(to: checked.appendingPathComponent("support.yaml"), atomically: true, encoding: .utf8)
        let expected: [ConfigProblem]
        do {
            _ = try RoutesLoader.load(directory: checked.path)
            expected = []
        } catch {
            expected = error.problems
        }
        #expect(expected.count == 2)

        try await environment.application().test(.live) { client in
            let saved = try await client.putDraft(broken)
            #expect(saved.status == .unprocessableContent)
            #expect(saved.json["valid"] as? Bool == false)
            let problems = saved.json["problems"] as? [[String: Any]] ?? []
            #expect(problems.map { $0["line"] as? Int } == expected.map(\.line))
            #expect(problems.map { $0["column"] as? Int } == expected.map(\.column))
            #expect(problems.map { $0["message"] as? String } == expected.map(\.message))
            #expect(problems.first?["file"] as? String == environment.configuration.routes + "/support.yaml")
            #expect(problems.contains { ($0["message"] as? String)?.contains("billing must be 1 to 5, found 7") == true })

            // Kept, so that nothing typed is lost; it cannot be published.
            let kept = try await client.admin("/v1/routes/draft")
            #expect(kept.status == .ok)
            #expect((kept.json["files"] as? [[String: Any]])?.first?["yaml"] as? String == broken)
            let refused = try await client.admin("/v1/routes/draft/publish", method: .post)
            #expect(refused.status == .conflict)
            #expect(((refused.json["error"] as? [String: Any])?["problems"] as? [Any])?.count == 2)
            #expect(try await client.admin("/v1/routes").json["version"] as? Int == 1)

            let fixed = try await client.putDraft(Self.strictGeneral)
            #expect(fixed.status == .ok)
            #expect(fixed.json["valid"] as? Bool == true)
            #expect((fixed.json["problems"] as? [Any])?.isEmpty == true)
            #expect(fixed.json["base_version"] as? Int == 1)

            let empty = try await client.putDraft("  \n")
            #expect(empty.status == .unprocessableContent)
            #expect(try await client.putDraft("x: 1", file: "../escape.yaml").status == .unprocessableContent)
        }
    }

    @Test("a simulation explains the decision of either table and changes nothing")
    func simulate() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: Self.agents(ana: ana, ben: ben))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let body = TestEnvironment.body(conversation: "sim-1", messageId: "m-1", text: "my parcel is late")
            let published = try await client.simulate(body)
            #expect(published.status == .ok)
            #expect(published.json["table"] as? String == "published")
            let decision = published.json["decision"] as? [String: Any] ?? [:]
            #expect(decision["route"] as? String == "general")
            #expect(decision["outcome"] as? String == "offered")
            #expect(Set(decision["eligible"] as? [String] ?? []) == ["ana", "ben"])

            #expect(try await client.putDraft(Self.strictGeneral).status == .ok)
            let draft = try await client.simulate(body, table: "draft")
            let drafted = draft.json["decision"] as? [String: Any] ?? [:]
            #expect(draft.json["table"] as? String == "draft")
            #expect(drafted["agent"] as? String == "ben")
            #expect(drafted["eligible"] as? [String] == ["ben"])
            let excluded = drafted["excluded"] as? [[String: Any]] ?? []
            #expect(excluded.first { $0["agent"] as? String == "ana" }?["reasons"] as? [String] == ["general 3 < 4"])
            #expect((drafted["requirements"] as? [String: Any])?["skills"] as? [String: Int] == ["general": 4])
            #expect(drafted["facts"] != nil)

            let refund = try await client.simulate(
                TestEnvironment.body(conversation: "sim-2", messageId: "m-1", text: "refund $300 please"))
            let refunded = refund.json["decision"] as? [String: Any] ?? [:]
            #expect(refunded["route"] as? String == "refunds")
            #expect((refunded["facts"] as? [String: Any])?["amount"] as? Double == 300)
            #expect(refunded["agent"] as? String == "ana")
            #expect(
                (refunded["excluded"] as? [[String: Any]])?.first { $0["agent"] as? String == "ben" }?["reasons"]
                    as? [String] == ["refund_limit 50 < 300"])

            // Nothing happened: no offer, no load, no customer.
            try await Task.sleep(for: .milliseconds(300))
            #expect(ana.deliveries.isEmpty && ben.deliveries.isEmpty)
            #expect(try await client.load(of: "ana") == 0)
            #expect(try await client.admin("/v1/customers?identity=email:ana@example.com").status == .notFound)

            let bad = try await client.simulate(Array("{\"conversation_id\": 5}".utf8))
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.simulate(body, table: "tomorrow").status == .badRequest)
            #expect(try await client.simulate(body, source: "nope").status == .notFound)
        }
        await ana.stop()
        await ben.stop()
    }

    @Test("replay names the stored conversations the draft would route differently: route and agent, before and after, and why")
    func replay() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: Self.agents(ana: ana, ben: ben))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            try await client.send(environment, "r-1", "my parcel is late")
            try await client.send(environment, "r-2", "refund $300 please")
            try await client.send(environment, "r-3", "where is my order")
            // Every one is stored and offered (both agents have room for all three).
            let deadline = ContinuousClock.now + .seconds(10)
            while ana.deliveries.count + ben.deliveries.count < 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }

            let noDraft = try await client.admin("/v1/routes/draft/replay", method: .post)
            #expect(noDraft.status == .notFound)

            // Refunds now need billing 5: nobody has it.
            let draft = TestEnvironment.routes.replacingOccurrences(of: "skills: {billing: 3}", with: "skills: {billing: 5}")
            #expect(try await client.putDraft(draft).status == .ok)
            let report = try await client.admin("/v1/routes/draft/replay", method: .post, json: #"{"last": 10}"#)
            #expect(report.status == .ok)
            #expect(report.json["considered"] as? Int == 3)
            #expect(report.json["changed"] as? Int == 1)
            let change = (report.json["changes"] as? [[String: Any]])?.first ?? [:]
            #expect(change["text"] as? String == "refund $300 please")
            let before = change["before"] as? [String: Any] ?? [:]
            let after = change["after"] as? [String: Any] ?? [:]
            #expect(before["route"] as? String == "refunds")
            #expect(before["agent"] as? String == "ana")
            #expect(after["route"] as? String == "refunds")
            #expect(after["agent"] == nil)
            #expect(after["outcome"] as? String == "waiting")
            let why = change["why"] as? [String] ?? []
            #expect(why.contains("requires billing 3, refund_limit ≥ 300 → billing 5, refund_limit ≥ 300"))
            #expect(why.contains("ana no longer qualifies: billing 4 < 5"))

            #expect(
                try await client.admin("/v1/routes/draft/replay", method: .post, json: #"{"last": 0}"#).status
                    == .unprocessableContent)
            // Replaying changed nothing either.
            #expect(try await client.admin("/v1/routes").json["version"] as? Int == 1)
        }
        await ana.stop()
        await ben.stop()
    }

    @Test("publish puts the draft in force at once: new conversations follow it, offers made before stay, Routes/ and the audit show it")
    func publish() async throws {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        var setup = try TestEnvironment(agents: Self.agents(ana: ana, ben: ben))
        setup.configuration.routesReloadSeconds = 0.1
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            // Before: ana and ben both qualify for general; the first offer goes to one of them.
            try await client.send(environment, "p-1", "my parcel is late")
            let deadline = ContinuousClock.now + .seconds(10)
            while ana.deliveries.isEmpty, ben.deliveries.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let first = (ana.deliveries + ben.deliveries).first
            let firstAgent = ana.deliveries.isEmpty ? "ben" : "ana"
            let firstConversation = try #require(first?.value("conversation.id") as? String)

            #expect(try await client.putDraft(Self.strictGeneral).status == .ok)
            let published = try await client.admin("/v1/routes/draft/publish", method: .post)
            #expect(published.status == .ok)
            #expect(published.json["version"] as? Int == 2)
            #expect(published.json["source"] as? String == "publish")
            #expect(published.json["actor"] as? String == "token:" + TestEnvironment.adminTokenFingerprint)
            #expect(try await client.admin("/v1/routes").json["version"] as? Int == 2)
            let onDisk = try String(contentsOfFile: environment.configuration.routes + "/support.yaml", encoding: .utf8)
            #expect(onDisk == Self.strictGeneral)
            // The watcher sees its own write: no version 3.
            try await Task.sleep(for: .milliseconds(400))
            #expect((try await client.admin("/v1/routes/versions").json["versions"] as? [Any])?.count == 2)

            // The offer made before keeps its agent.
            let kept = try await client.conversation(firstConversation)
            #expect(kept.json["agent_id"] as? String == firstAgent)
            // A new conversation follows the new table: only ben has general 4.
            try await client.send(environment, "p-2", "where is my order")
            let offered = await ben.waitForDeliveries(firstAgent == "ben" ? 2 : 1)
            let second = try #require(offered.last)
            #expect(second.value("routing.route") as? String == "general")
            let decisions = try await client.decisions(try #require(second.value("conversation.id") as? String))
            #expect((decisions.last?["requirements"] as? [String: Any])?["skills"] as? [String: Int] == ["general": 4])

            // The draft went live: there is none now.
            #expect(try await client.admin("/v1/routes/draft/publish", method: .post).status == .notFound)

            let audit = try await client.admin("/v1/audit")
            let entries = audit.json["entries"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["action"] as? String } == ["publish", "draft", "file"])
            let entry = entries.first ?? [:]
            #expect(entry["version"] as? Int == 2)
            #expect(entry["previous_version"] as? Int == 1)
            #expect(entry["actor"] as? String == "token:" + TestEnvironment.adminTokenFingerprint)
            let diff = entry["diff"] as? String ?? ""
            #expect(diff.contains("--- a/support.yaml\n+++ b/support.yaml\n@@ "))
            #expect(diff.contains("\n-    require: {skills: {general: 1}}\n+    require: {skills: {general: 4}}"))
        }
        await ana.stop()
        await ben.stop()
    }

    @Test("rollback publishes an earlier version's table again, as a new version on the record")
    func rollback() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            #expect(try await client.putDraft(Self.strictGeneral).status == .ok)
            #expect(try await client.admin("/v1/routes/draft/publish", method: .post).status == .ok)

            let inForce = try await client.admin("/v1/routes/rollback", method: .post, json: #"{"version": 2}"#)
            #expect(inForce.status == .conflict)
            #expect(try await client.admin("/v1/routes/rollback", method: .post, json: #"{"version": 7}"#).status == .notFound)
            #expect(try await client.admin("/v1/routes/rollback", method: .post, json: #"{}"#).status == .unprocessableContent)

            let rolled = try await client.admin("/v1/routes/rollback", method: .post, json: #"{"version": 1}"#)
            #expect(rolled.status == .ok)
            #expect(rolled.json["version"] as? Int == 3)
            #expect(rolled.json["restores"] as? Int == 1)
            let published = try await client.admin("/v1/routes")
            #expect((published.json["files"] as? [[String: Any]])?.first?["yaml"] as? String == TestEnvironment.routes)
            let onDisk = try String(contentsOfFile: environment.configuration.routes + "/support.yaml", encoding: .utf8)
            #expect(onDisk == TestEnvironment.routes)
            let entry = (try await client.admin("/v1/audit?limit=1").json["entries"] as? [[String: Any]])?.first ?? [:]
            #expect(entry["action"] as? String == "rollback")
            #expect(entry["summary"] as? String == "rolled back to version 1")
            #expect((entry["diff"] as? String)?.contains("+    require: {skills: {general: 1}}") == true)
        }
    }
}
