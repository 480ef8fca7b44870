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

extension RouteTablesEndToEndTests {
    @Test("a valid edit of Routes/ becomes a new version; an invalid one is refused and the last good version stays")
    func fileReload() async throws {
        var setup = try TestEnvironment(agents: [])
        setup.configuration.routesReloadSeconds = 0.1
        let environment = setup
        defer { environment.remove() }
        let path = environment.configuration.routes + "/support.yaml"
        try await environment.application().test(.live) { client in
            try "routes:\n  - name: general\n    require: {skills: {general: 9}}\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .milliseconds(600))
            let still = try await client.admin("/v1/routes")
            #expect(still.json["version"] as? Int == 1)
            #expect((still.json["files"] as? [[String: Any]])?.first?["yaml"] as? String == TestEnvironment.routes)

            try Self.strictGeneral.write(toFile: path, atomically: true, encoding: .utf8)
            let loaded = try await client.waitForVersion(2)
            #expect(loaded.json["source"] as? String == "file")
            #expect(loaded.json["actor"] as? String == "file:" + environment.configuration.routes)
            let simulated = try await client.simulate(
                TestEnvironment.body(conversation: "f-1", messageId: "m-1", text: "my parcel is late"))
            #expect(
                ((simulated.json["decision"] as? [String: Any])?["requirements"] as? [String: Any])?["skills"]
                    as? [String: Int] == ["general": 4])
        }
    }

    @Test("published versions survive a restart; a hand edit made while stopped is loaded as the next version")
    func restart() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let saved = try await client.putDraft(Self.strictGeneral)
            #expect(saved.status == .ok)
            let published = try await client.admin("/v1/routes/draft/publish", method: .post)
            #expect(published.status == .ok)
        }
        try await environment.application().test(.live) { client in
            let published = try await client.admin("/v1/routes")
            #expect(published.json["version"] as? Int == 2)
            #expect(published.json["source"] as? String == "publish")
        }
        try TestEnvironment.routes.write(
            toFile: environment.configuration.routes + "/support.yaml", atomically: true, encoding: .utf8)
        try await environment.application().test(.live) { client in
            let published = try await client.admin("/v1/routes")
            #expect(published.json["version"] as? Int == 3)
            #expect(published.json["source"] as? String == "file")
        }
    }

    @Test("a publish recorded but not yet written into Routes/ when the process died is written at the next start")
    func publishInterruptedBeforeTheFiles() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let published = try await client.admin("/v1/routes")
            #expect(published.json["version"] as? Int == 1)
        }
        // What a publish commits before it writes the files: the version, and nothing on disk.
        let store = try SQLiteStore(path: environment.configuration.storage.sqlite)
        let published = try #require(try await store.publishedRouteVersion())
        let files = [RouteFile(name: "support.yaml", yaml: Self.strictGeneral)]
        _ = try await store.publishRoutes(
            RoutePublication(
                files: files, digest: "not-the-directory", source: "publish", actor: "token:test", expected: published.version,
                summary: "published the draft", diff: ""),
            now: Date())
        try store.close()

        try await environment.application().test(.live) { client in
            let inForce = try await client.admin("/v1/routes")
            #expect(inForce.json["version"] as? Int == 2)
            #expect((try await client.admin("/v1/routes/versions").json["versions"] as? [Any])?.count == 2)
        }
        let onDisk = try String(contentsOfFile: environment.configuration.routes + "/support.yaml", encoding: .utf8)
        #expect(onDisk == Self.strictGeneral)
    }

    @Test("a viewer token reads, simulates and replays; changing anything needs an admin token")
    func viewerRole() async throws {
        var setup = try TestEnvironment(agents: [])
        setup.configuration.viewerTokens = ["test-viewer-token"]
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            #expect(try await client.putDraft(Self.strictGeneral).status == .ok)
            let viewer: HTTPFields = [.authorization: "Bearer test-viewer-token", .contentType: "application/json"]
            let body = ByteBuffer(
                bytes: TestEnvironment.body(conversation: "v-1", messageId: "m-1", text: "my parcel is late"))
            for (uri, method, expected) in [
                ("/v1/routes", HTTPRequest.Method.get, HTTPResponse.Status.ok), ("/v1/routes/versions", .get, .ok),
                ("/v1/audit", .get, .ok), ("/v1/routes/draft", .get, .ok), ("/v1/agents", .get, .ok),
                ("/v1/routes/simulate", .post, .ok), ("/v1/routes/draft/replay", .post, .ok),
                ("/v1/routes/draft/publish", .post, .forbidden), ("/v1/routes/rollback", .post, .forbidden),
                ("/v1/routes/draft", .put, .forbidden), ("/v1/routes/draft", .delete, .forbidden),
                ("/v1/agents/ana/presence", .post, .forbidden),
            ] {
                let response = try await client.execute(
                    uri: uri, method: method, headers: viewer,
                    body: uri == "/v1/routes/simulate" ? body : ByteBuffer(string: ""))
                #expect(response.status == expected, "\(method) \(uri)")
                if expected == .forbidden {
                    #expect(response.errorMessage?.contains("which only an admin token has") == true)
                }
            }
            #expect(try await client.execute(uri: "/v1/routes", method: .get).status == .unauthorized)
            #expect(try await client.admin("/v1/routes").json["version"] as? Int == 1)
        }
    }
}
