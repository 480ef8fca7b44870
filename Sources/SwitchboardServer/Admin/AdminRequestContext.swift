import Hummingbird
import SwitchboardConnectors

/// The request context of the /admin pages: the application's context plus the posted form and,
/// once ``AdminSessionMiddleware`` accepted the cookie, the session.
struct AdminRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The `application/x-www-form-urlencoded` body of a POST, read by ``AdminGuardMiddleware``.
    var form = FormBody(pairs: [])
    /// The signed-in session and its id; nil on the sign-in page.
    var session: (id: String, value: AdminSession)?

    /// The client's IP address, for throttling failed sign-ins.
    var clientAddress: String?

    init(context: AppRequestContext) throws {
        self.coreContext = context.coreContext
        self.clientAddress = context.clientAddress
    }

    /// The session, for handlers behind ``AdminSessionMiddleware`` (which always sets it).
    func requireSession() throws -> (id: String, value: AdminSession) {
        guard let session else { throw HTTPError(.unauthorized, message: "Sign in first.") }
        return session
    }
}
