import Hummingbird

/// Lets through only requests with a live session cookie, and POSTs only with the session's CSRF
/// token in their `csrf` field. Without a session, the browser is sent to the sign-in page (told
/// that its session ended when it sent a cookie that is no longer valid, and the cookie is cleared).
struct AdminSessionMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let sessions: AdminSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let cookie = request.cookies[AdminCookies.session]
        guard let id = cookie?.value, !id.isEmpty, let session = try await sessions.session(id: id) else {
            guard cookie != nil else { return .redirect(to: "/admin/login") }
            var response = Response.redirect(to: "/admin/login?ended=1")
            response.setCookie(AdminCookies.cleared(AdminCookies.session, path: "/admin"))
            return response
        }
        if request.method == .post {
            guard let presented = context.form["csrf"], !presented.isEmpty else {
                throw HTTPError(
                    .forbidden,
                    message: "The form carries no CSRF token (field csrf). Reload the page and submit it again.")
            }
            guard AdminTokens.secretsMatch(presented, session.csrfToken) else {
                throw HTTPError(
                    .forbidden,
                    message: "The form's CSRF token does not match your session. Reload the page and submit it again.")
            }
        }
        var context = context
        context.session = (id, session)
        return try await next(request, context)
    }
}
