import Curl
import Foundation
import Testing

/// Admin sessions in the store: a restart keeps an admin signed in (SQLite), any instance serves a session
/// another started, and signing out on one ends it on all (PostgreSQL, two instances).
@Suite("Admin sessions across restarts and instances", .serialized)
struct AdminSessionSharingTests {
    /// A browser over curl: the sign-in form, its cookie and CSRF field, then the session cookie.
    struct Browser {
        let client = CurlClient()

        func get(_ url: String, cookie: String? = nil) async throws -> CurlResponse {
            var request = CurlRequest(url: url)
            if let cookie { request.headers.append(HTTPHeader("Cookie", cookie)) }
            return try await client.execute(request)
        }

        func post(_ url: String, cookie: String, fields: [(String, String)]) async throws -> CurlResponse {
            let body = String(buffer: formBody(fields))
            return try await client.execute(
                CurlRequest(
                    method: "POST", url: url,
                    headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded"), HTTPHeader("Cookie", cookie)],
                    body: Array(body.utf8)))
        }

        static func cookie(_ response: CurlResponse, _ name: String) -> String? {
            response.headers.first { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix(name + "=") }
                .map { cookiePair($0.value) }
        }

        static func csrf(_ response: CurlResponse) -> String? {
            let text = String(decoding: response.body, as: UTF8.self)
            return text.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/).map { String($0.1) }
        }

        /// Signs in at `base`; returns the session cookie and the page's CSRF token.
        func signIn(_ base: String) async throws -> (cookie: String, csrf: String) {
            let form = try await get(base + "/admin/login")
            let login = try #require(Self.cookie(form, "switchboard_login"))
            let csrf = try #require(Self.csrf(form))
            let signedIn = try await post(
                base + "/admin/login", cookie: login, fields: [("csrf", csrf), ("token", TestEnvironment.adminToken)])
            let session = try #require(Self.cookie(signedIn, "switchboard_admin"), "sign-in answered \(signedIn.status)")
            let page = try await get(base + "/admin", cookie: session)
            return (session, try #require(Self.csrf(page)))
        }
    }

    @Test("signed in on one instance, served by the other; signed out on the other, refused by both")
    func twoInstances() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        let instances = try await DeskTokenLifecycleTests.Backing.postgres.start(environment)
        let browser = Browser()
        let (cookie, csrf) = try await browser.signIn(instances.base(0))
        #expect(try await browser.get(instances.base(1) + "/admin", cookie: cookie).status == 200)
        let out = try await browser.post(instances.base(1) + "/admin/logout", cookie: cookie, fields: [("csrf", csrf)])
        #expect(out.status == 303)
        #expect(try await browser.get(instances.base(0) + "/admin", cookie: cookie).status == 303)
        #expect(try await browser.get(instances.base(1) + "/admin", cookie: cookie).status == 303)
        await instances.stop()
    }

    @Test("a restart keeps the admin signed in")
    func restart() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        let browser = Browser()
        let first = try await DeskTokenLifecycleTests.Backing.sqlite.start(environment)
        let (cookie, _) = try await browser.signIn(first.base(0))
        await first.stop()
        let second = try await DeskTokenLifecycleTests.Backing.sqlite.start(environment)
        let page = try await browser.get(second.base(0) + "/admin", cookie: cookie)
        #expect(page.status == 200)
        await second.stop()
    }
}
