import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The /admin page's sign-in, session cookie and CSRF protection, over HTTP without a browser.
@Suite("Admin page: sign-in, sessions and CSRF")
struct AdminSessionTests {
    @Test("without a session every admin page sends the browser to the sign-in form")
    func redirectsToSignIn() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            for (method, uri) in [
                (HTTPRequest.Method.get, "/admin"), (.post, "/admin/publish"), (.post, "/admin/draft"),
            ] {
                let response = try await client.execute(
                    uri: uri, method: method, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "csrf=x"))
                #expect(response.status == .seeOther, "\(method) \(uri)")
                #expect(response.headers[.location] == "/admin/login", "\(method) \(uri)")
            }
            let unknown = try await client.execute(
                uri: "/admin", method: .get,
                headers: [.cookie: "switchboard_admin=\(String(repeating: "ab", count: 32))"])
            #expect(unknown.status == .seeOther)
            #expect(unknown.headers[.location] == "/admin/login?ended=1")

            let form = try await client.execute(uri: "/admin/login", method: .get)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<input type="password" id="token" name="token""#))
            #expect(form.headers[.cacheControl] == "no-store")
        }
    }

    @Test("a wrong or missing token is refused with 401, the form says so, and no session starts")
    func wrongToken() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let wrong = try await client.postSignIn(token: "not-the-admin-token")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("That admin token is not valid."))
            #expect(wrong.setCookie("switchboard_admin") == nil)

            let empty = try await client.postSignIn(token: "")
            #expect(empty.status == .unauthorized)
            #expect(empty.text.contains("Enter an admin token."))

            // A sign-in without the form's own CSRF token (posted from elsewhere) is refused before the token is looked at.
            let forged = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: formBody([("token", TestEnvironment.adminToken)]))
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("CSRF token is missing or does not match"))
            #expect(forged.setCookie("switchboard_admin") == nil)
        }
    }

    @Test(
        "signing in sets an HttpOnly, SameSite=Strict, expiring cookie for /admin, and the page names the same actor as the API's audit"
    )
    func cookieAttributes() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let signedIn = try await client.postSignIn(token: TestEnvironment.adminToken)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/admin")
            let cookie = try #require(signedIn.setCookie("switchboard_admin"))
            let attributes = Set(
                cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(
                attributes.isSuperset(of: ["HttpOnly", "SameSite=Strict", "Path=/admin", "Max-Age=28800"]), "\(cookie)")
            // 256 random bits as hex.
            let id = cookiePair(cookie).dropFirst("switchboard_admin=".count)
            #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
            // The sign-in form's own cookie is cleared.
            #expect(signedIn.setCookie("switchboard_login")?.contains("Max-Age=0") == true)

            let page = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: cookiePair(cookie)])
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<code id="actor">token:\#(TestEnvironment.adminTokenFingerprint)</code>"#))
            #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[.cacheControl] == "no-store")
        }
    }

    struct ForgedForm: Sendable, CustomTestStringConvertible {
        var name: String
        var csrf: String?
        var origin: String?
        var message: String
        var testDescription: String { name }
    }

    static let forgeries: [ForgedForm] = [
        ForgedForm(name: "no CSRF token", csrf: nil, message: "carries no CSRF token"),
        ForgedForm(
            name: "another session's CSRF token", csrf: String(repeating: "0", count: 64),
            message: "does not match your session"),
        ForgedForm(
            name: "posted from another site", csrf: "", origin: "https://evil.example",
            message: "posted from another site"),
    ]

    @Test(
        "a form without this session's CSRF token, or from another site, is refused with 403 and changes nothing",
        arguments: forgeries)
    func csrf(_ forgery: ForgedForm) async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let session = try await client.adminSignIn()
            // "" stands for the session's real token: the origin alone must refuse it.
            let csrf = forgery.csrf.map { $0.isEmpty ? session.csrf : $0 }
            let strict = TestEnvironment.routes.replacingOccurrences(of: "general: 1", with: "general: 4")
            let draft = try await client.adminPost(
                "/admin/draft", session, csrf: csrf, fields: [("file", "support.yaml"), ("yaml", strict)],
                origin: forgery.origin)
            #expect(draft.status == .forbidden)
            #expect(draft.text.contains(forgery.message))
            #expect(try await client.admin("/v1/routes/draft").status == .notFound)

            #expect(try await client.putDraft(strict).status == .ok)
            let publish = try await client.adminPost("/admin/publish", session, csrf: csrf, origin: forgery.origin)
            #expect(publish.status == .forbidden)
            #expect((try await client.admin("/v1/routes")).json["version"] as? Int == 1)

            let signOut = try await client.adminPost("/admin/logout", session, csrf: csrf, origin: forgery.origin)
            #expect(signOut.status == .forbidden)
            #expect(try await client.adminPage(session).status == .ok)

            // The same form with the session's token, and no foreign origin, goes through.
            let published = try await client.adminPost("/admin/publish", session, csrf: session.csrf)
            #expect(published.status == .seeOther)
            #expect((try await client.admin("/v1/routes")).json["version"] as? Int == 2)
            // So does one from the page as a reverse proxy serves it (the proxy names the host the browser used).
            let proxied = try await client.adminPost(
                "/admin/draft", session, csrf: session.csrf,
                fields: [("file", "support.yaml"), ("yaml", TestEnvironment.routes)],
                origin: "https://switchboard.example.com", forwardedHost: "switchboard.example.com")
            #expect(proxied.status == .seeOther)
            #expect(try await client.admin("/v1/routes/draft").status == .ok)
        }
    }

    @Test("an expired session is refused: the browser is sent to sign in again, told why, and the cookie is cleared")
    func expiredSession() async throws {
        var environment = try TestEnvironment(agents: [])
        // Ten seconds, so that the first page comes back in time on a loaded two-core machine (with one or
        // three, the whole suite running beside it sometimes took longer than that).
        environment.configuration.admin.sessionSeconds = 10
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let session = try await client.adminSignIn()
            #expect(session.setCookie.contains("Max-Age=10"))
            #expect(try await client.adminPage(session).status == .ok)
            try await Task.sleep(for: .milliseconds(10_300))
            let expired = try await client.adminPage(session)
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/admin/login?ended=1")
            #expect(expired.setCookie("switchboard_admin")?.contains("Max-Age=0") == true)
            let post = try await client.adminPost("/admin/publish", session, csrf: session.csrf)
            #expect(post.status == .seeOther)
            let form = try await client.execute(uri: "/admin/login?ended=1", method: .get)
            #expect(form.text.contains("Your session has ended"))
        }
    }

    @Test("signing out ends the session on the server, not only in the browser")
    func signOut() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let session = try await client.adminSignIn()
            let out = try await client.adminPost("/admin/logout", session, csrf: session.csrf)
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/admin/login?signed_out=1")
            #expect(out.setCookie("switchboard_admin")?.contains("Max-Age=0") == true)
            // The old cookie, replayed, no longer opens the page.
            #expect(try await client.adminPage(session).status == .seeOther)
        }
    }

    @Test("what the page shows is escaped: a draft holding markup shows it as text")
    func escapes() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let session = try await client.adminSignIn()
            let yaml = TestEnvironment.routes + "\n# </textarea><script>alert(1)</script>\n"
            #expect(try await client.putDraft(yaml).status == .ok)
            let page = try await client.adminPage(session)
            #expect(page.text.contains("# &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<script>"))
        }
    }
}

@Suite("Admin page: desk tokens")
struct AdminDeskTokenTests {
    @Test("a desk token created on the page is shown once, works on the API, and stops working when revoked there")
    func createAndRevoke() async throws {
        let environment = try TestEnvironment(agents: [TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 1}", desk: nil)])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let session = try await client.adminSignIn()
            let page = try await client.adminPage(session)
            #expect(page.text.contains(#"<input type="checkbox" name="agents" value="ana">"#))

            let created = try await client.adminPost(
                "/admin/desk-tokens", session, csrf: session.csrf, fields: [("agents", "ana"), ("label", "ana's <desk>")])
            #expect(created.status == .ok)
            let token = try #require(
                created.text.firstMatch(of: /<code id="issued-token-value">(sbd_[A-Za-z0-9_-]+)<\/code>/).map { String($0.1) })
            #expect(created.text.contains("ana&#39;s &lt;desk&gt;") || created.text.contains("ana&#x27;s &lt;desk&gt;"))
            let presence = try await client.execute(
                uri: "/v1/agents/ana/presence", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: #"{"status": "away"}"#))
            #expect(presence.status == .ok)
            // Shown once: the page afterwards lists the token, not its value.
            let later = try await client.adminPage(session)
            #expect(!later.text.contains(token))
            let id = try #require(later.text.firstMatch(of: /data-token="(dt_[0-9a-f]+)"/).map { String($0.1) })

            let revoked = try await client.adminPost("/admin/desk-tokens/revoke", session, csrf: session.csrf, fields: [("id", id)])
            #expect(revoked.status == .seeOther)
            #expect(try await client.adminPage(session).text.contains("Revoked desk token \(id)"))
            let refused = try await client.execute(
                uri: "/v1/agents/ana/presence", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(string: #"{"status": "online"}"#))
            #expect(refused.status == .unauthorized)

            // No agent chosen: the page says so and creates nothing.
            let none = try await client.adminPost("/admin/desk-tokens", session, csrf: session.csrf, fields: [("label", "x")])
            #expect(none.status == .seeOther)
            #expect(try await client.adminPage(session).text.contains("No desk token created: agents must name at least one agent"))
            // Without the session's CSRF token, nothing is created.
            let forged = try await client.adminPost("/admin/desk-tokens", session, csrf: nil, fields: [("agents", "ana")])
            #expect(forged.status == .forbidden)
        }
    }
}
