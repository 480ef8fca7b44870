import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardStore

/// `/admin`: the server-rendered admin page, its sign-in and sign-out.
///
/// Signing in takes an admin token and starts a session kept in a cookie; every other page needs
/// that session, and every form carries its CSRF token (see ``AdminSessionMiddleware``).
struct AdminController {
    let store: any Store
    let dispatcher: Dispatcher
    let tables: RouteTables
    let sessions: AdminSessions
    let tokens: AdminTokens
    /// Creates and revokes desk tokens, as the API does.
    let deskTokens: DeskTokenIssuer
    /// Throttles wrong admin tokens on the sign-in form.
    let throttle: AuthThrottle
    let pages: AdminPages
    /// The day's scenario the page simulates (`admin.scenario`).
    var scenario = "Config/scenarios/retail-day.yaml"
    let logger: Logger

    var routes: RouteCollection<AdminRequestContext> {
        let routes = RouteCollection(context: AdminRequestContext.self)
        routes.get("login", use: loginPage)
        routes.post("login", use: login)
        // Everything below needs a session.
        routes.add(middleware: AdminSessionMiddleware(sessions: sessions))
        routes.get(use: page)
        routes.post("logout", use: logout)
        routes.post("draft", use: saveDraft)
        routes.post("draft/discard", use: discardDraft)
        routes.post("simulate", use: simulate)
        routes.post("replay", use: replay)
        routes.get("simulate-day", use: simulateDay)
        routes.post("publish", use: publish)
        routes.post("rollback", use: rollback)
        routes.post("desk-tokens", use: createDeskToken)
        routes.post("desk-tokens/revoke", use: revokeDeskToken)
        return routes
    }

    // MARK: signing in and out

    struct LoginView {
        let title = "Sign in"
        var csrf: String
        var error: String?
        var notice: String?
    }

    /// The sign-in form, with a fresh CSRF token in its hidden field and in a short-lived cookie.
    @Sendable func loginPage(request: Request, context: AdminRequestContext) async throws -> Response {
        if let id = request.cookies[AdminCookies.session]?.value, try await sessions.session(id: id) != nil {
            return .redirect(to: "/admin")
        }
        let query = request.uri.queryParameters
        let notice: String? =
            if query["ended"] != nil {
                "Your session has ended (it expired, or the server restarted). Sign in again."
            } else if query["signed_out"] != nil {
                "You have signed out."
            } else {
                nil
            }
        return loginForm(request, error: nil, notice: notice, status: .ok)
    }

    private func loginForm(_ request: Request, error: String?, notice: String?, status: HTTPResponse.Status) -> Response
    {
        let token = SessionSecret.make()
        var response = pages.render("login", LoginView(csrf: token, error: error, notice: notice), status: status)
        response.setCookie(AdminCookies.login(token, secure: AdminCookies.isSecure(request)))
        return response
    }

    /// Checks the form's CSRF token against its cookie and the admin token against the configured
    /// ones; starts a session and goes to the page, or shows the form again saying what was wrong.
    @Sendable func login(request: Request, context: AdminRequestContext) async throws -> Response {
        guard let presented = context.form["csrf"], !presented.isEmpty,
            let expected = request.cookies[AdminCookies.login]?.value, !expected.isEmpty,
            AdminTokens.secretsMatch(presented, expected)
        else {
            logger.notice("admin sign-in refused", metadata: ["reason": "csrf"])
            return loginForm(
                request,
                error:
                    "The sign-in form's CSRF token is missing or does not match (the form may have expired). Enter the token again.",
                notice: nil, status: .forbidden)
        }
        let token = (context.form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let keys = AuthThrottle.keys(address: context.clientAddress, presented: token)
        do {
            try throttle.check(keys, kind: "admin sign-in")
            if !token.isEmpty, tokens.actor(presenting: token) == nil { try await throttle.failed(keys, kind: "admin sign-in") }
        } catch let refusal as HTTPError {
            logger.notice("admin sign-in refused", metadata: ["reason": "too many failures"])
            var response = loginForm(request, error: refusal.body, notice: nil, status: .tooManyRequests)
            response.headers[.retryAfter] = refusal.headers[.retryAfter]
            return response
        }
        guard !token.isEmpty, let actor = tokens.actor(presenting: token) else {
            logger.notice(
                "admin sign-in refused", metadata: ["reason": "\(token.isEmpty ? "no token" : "wrong token")"])
            return loginForm(
                request, error: token.isEmpty ? "Enter an admin token." : "That admin token is not valid.", notice: nil,
                status: .unauthorized)
        }
        let (id, _) = try await sessions.create(actor: actor)
        logger.info("admin signed in", metadata: ["actor": "\(actor)"])
        let secure = AdminCookies.isSecure(request)
        var response = Response.redirect(to: "/admin")
        response.setCookie(AdminCookies.session(id, maxAge: max(1, Int(sessions.lifetime)), secure: secure))
        response.setCookie(AdminCookies.cleared(AdminCookies.login, path: "/admin/login"))
        return response
    }

    /// Ends the session and forgets the cookie.
    @Sendable func logout(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        try await sessions.end(id: session.id)
        logger.info("admin signed out", metadata: ["actor": "\(session.value.actor)"])
        var response = Response.redirect(to: "/admin/login?signed_out=1")
        response.setCookie(AdminCookies.cleared(AdminCookies.session, path: "/admin"))
        return response
    }

    // MARK: the page

    /// The whole page; `?file=` picks the draft file in the editor.
    @Sendable func page(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let file = request.uri.queryParameters["file"].map(String.init)
        return pages.render("admin", try await pageView(session: session, file: file))
    }

    /// What the page shows. `simulation` and `replay` fill those sections in when a form was just run, and
    /// `issued` the desk token just created (shown this once); `notice` replaces the session's pending one.
    func pageView(
        session: (id: String, value: AdminSession), file: String? = nil, simulation: SimulateView? = nil,
        replay: ReplayView? = nil, issued: DeskTokensView.Issued? = nil, notice: AdminNotice? = nil, now: Date = Date()
    ) async throws -> AdminPageView {
        let agents = try await store.agentSnapshots().sorted { $0.agent.id < $1.agent.id }
        let published = try await store.publishedRouteVersion()
        let draft: RouteDraftView?
        do {
            draft = try await tables.draft()
        } catch RouteTablesError.noDraft {
            draft = nil
        }
        let versions = try await tables.versions().versions
        let sources = tables.sources.byName.keys.sorted()
        let routes = AdminRoutesView(
            published: published.map(PublishedView.init),
            draft: DraftView(record: draft, published: published, file: file),
            simulate: simulation
                ?? SimulateView(
                    body: SimulateView.sampleBody, draftChosen: false, hasDraft: draft != nil,
                    sources: sources.map { .init(name: $0, selected: false) }, severalSources: sources.count > 1),
            replay: replay ?? ReplayView(last: 100, hasDraft: draft != nil),
            versions: versions.map { VersionRow($0, inForce: published?.digest) })
        let pending = try await sessions.takeNotice(id: session.id)
        return AdminPageView(
            actor: session.value.actor, csrf: session.value.csrfToken,
            notice: (notice ?? pending).map(AdminPageView.NoticeView.init), routes: routes,
            agents: agents.map(AgentRow.init),
            deskTokens: DeskTokensView(
                declared: deskTokens.declared.map { .init(id: $0.id, agents: $0.agents.sorted().joined(separator: ", ")) },
                stored: try await store.deskTokens(), agents: agents.map(\.agent.id), issued: issued),
            queue: QueueView(dispatcher.waiting(now: now)),
            generatedAt: AdminFormat.time(now))
    }
}
