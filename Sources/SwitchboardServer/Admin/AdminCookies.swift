import Foundation
import HTTPTypes
import Hummingbird

/// The cookies of the /admin page. Both are HttpOnly (no script reads them), SameSite=Strict (no
/// other site's page sends them), scoped to the admin paths and expiring; `Secure` is added when
/// the request came through an HTTPS proxy (`X-Forwarded-Proto: https`).
enum AdminCookies {
    /// The session id.
    static let session = "switchboard_admin"
    /// The sign-in form's CSRF token, checked against the form's hidden field (double submit): there
    /// is no session yet to keep it in.
    static let login = "switchboard_login"
    /// How long the sign-in form stays valid.
    static let loginSeconds = 1_800

    static func session(_ id: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(
            name: session, value: id, maxAge: maxAge, path: "/admin", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func login(_ token: String, secure: Bool) -> Cookie {
        Cookie(
            name: login, value: token, maxAge: loginSeconds, path: "/admin/login", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    /// Tells the browser to drop a cookie: empty, expired at once.
    static func cleared(_ name: String, path: String) -> Cookie {
        Cookie(
            name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, httpOnly: true,
            sameSite: .strict)
    }

    /// Whether the browser reached us over HTTPS, as a TLS-terminating proxy reports it.
    static func isSecure(_ request: Request) -> Bool {
        request.headers[.xForwardedProto]?.lowercased() == "https"
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
