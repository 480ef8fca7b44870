import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A signed-in /admin session as a browser holds it: the session cookie and the CSRF token of the
/// page's forms.
struct AdminBrowserSession {
    /// `switchboard_admin=<id>`, for the Cookie header.
    var cookie: String
    /// The raw Set-Cookie header that started the session.
    var setCookie: String
    var csrf: String
}

/// `name=value&...`, percent-encoded as a browser encodes a form.
func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    let encoded = fields.map { name, value in
        let encode = { (text: String) in
            text.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: "%20", with: "+")
        }
        return encode(name) + "=" + encode(value)
    }
    return ByteBuffer(string: encoded.joined(separator: "&"))
}

extension TestResponse {
    /// Every Set-Cookie header.
    var setCookies: [String] { headers[values: .setCookie] }

    /// The Set-Cookie header of the cookie `name`.
    func setCookie(_ name: String) -> String? {
        setCookies.first { $0.hasPrefix(name + "=") }
    }

    /// The value of the first hidden `csrf` field of the page.
    var csrfField: String? {
        guard let range = text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else {
            return nil
        }
        return String(text[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }
}

/// `name=value` of a Set-Cookie header, for a Cookie header.
func cookiePair(_ setCookie: String) -> String {
    String(setCookie.split(separator: ";", maxSplits: 1)[0])
}

extension TestClientProtocol {
    /// Opens the sign-in form and posts `token` with the form's CSRF token and cookie, as a browser does.
    func postSignIn(token: String) async throws -> TestResponse {
        let form = try await execute(uri: "/admin/login", method: .get)
        guard let login = form.setCookie("switchboard_login"), let csrf = form.csrfField else {
            throw TestFailure("the sign-in form has no CSRF cookie or field: \(form.status) \(form.text)")
        }
        return try await execute(
            uri: "/admin/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookiePair(login)],
            body: formBody([("csrf", csrf), ("token", token)]))
    }

    /// Signs in with the test admin token and reads the page's CSRF token.
    func adminSignIn() async throws -> AdminBrowserSession {
        let signedIn = try await postSignIn(token: TestEnvironment.adminToken)
        guard signedIn.status == .seeOther, let session = signedIn.setCookie("switchboard_admin") else {
            throw TestFailure("sign-in failed: \(signedIn.status) \(signedIn.text)")
        }
        let page = try await execute(uri: "/admin", method: .get, headers: [.cookie: cookiePair(session)])
        guard page.status == .ok, let csrf = page.csrfField else {
            throw TestFailure("the admin page did not open after signing in: \(page.status)")
        }
        return AdminBrowserSession(cookie: cookiePair(session), setCookie: session, csrf: csrf)
    }

    /// A GET of an admin page with the session's cookie.
    func adminPage(_ session: AdminBrowserSession, uri: String = "/admin") async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: [.cookie: session.cookie])
    }

    /// A form post under /admin with the session's cookie; `csrf` nil leaves the field out.
    func adminPost(
        _ uri: String, _ session: AdminBrowserSession, csrf: String?, fields: [(String, String)] = [],
        origin: String? = nil, forwardedHost: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: session.cookie]
        if let origin { headers[.origin] = origin }
        if let forwardedHost { headers[HTTPField.Name("X-Forwarded-Host")!] = forwardedHost }
        return try await execute(
            uri: uri, method: .post, headers: headers, body: formBody((csrf.map { [("csrf", $0)] } ?? []) + fields))
    }
}
