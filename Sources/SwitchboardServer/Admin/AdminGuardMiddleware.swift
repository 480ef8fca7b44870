import Hummingbird
import Logging
import NIOCore
import SwitchboardConnectors

/// Guards every /admin request:
/// - a POST must be a form (`application/x-www-form-urlencoded`, at most `maxBodyBytes`), and when its
///   `Origin` header is present it must be this server's own; the form is parsed into the context;
/// - every response carries a content-security policy, refuses framing and is never cached;
/// - an `HTTPError` becomes an HTML page that names the problem, with the error's status.
struct AdminGuardMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let pages: AdminPages
    var maxBodyBytes = 1 << 20

    /// Everything from this server only; inline styles are allowed (the page has one style sheet, in
    /// its head); forms post to this server only; no page may frame it.
    static let contentSecurityPolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            var request = request
            var context = context
            if request.method == .post {
                try Self.checkOrigin(request)
                context.form = try await readForm(&request)
            }
            response = try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .forbidden {
                context.logger.notice(
                    "admin form refused", metadata: ["reason": "\(error.body ?? "")", "path": "\(request.uri.path)"])
            }
            response = pages.error(error.status, message: error.body ?? error.status.reasonPhrase)
            response.headers.append(contentsOf: error.headers)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.cacheControl] = "no-store"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        return response
    }

    /// Refuses a POST sent by a page of another origin: its `Origin` header, when present, must be
    /// `http://` or `https://` followed by the host the browser addressed: the `Host` header, or the
    /// `X-Forwarded-Host` a reverse proxy sets when it rewrites `Host`.
    static func checkOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        let forwarded = request.headers[.xForwardedHost]?.split(separator: ",").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let hosts = [request.head.authority, forwarded].compactMap { $0 }.filter { !$0.isEmpty }
        guard hosts.contains(where: { origin == "http://\($0)" || origin == "https://\($0)" }) else {
            throw HTTPError(
                .forbidden,
                message:
                    "This form was posted from another site (Origin \(origin)); admin forms are accepted from this server's own pages only."
            )
        }
    }

    private func readForm(_ request: inout Request) async throws -> FormBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(
                .unsupportedMediaType,
                message:
                    "Admin forms are posted as application/x-www-form-urlencoded, not \(type.isEmpty ? "an untyped body" : type)."
            )
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "The form is larger than the limit of \(maxBodyBytes) bytes.")
        }
        do {
            return try FormBody(parsing: Array(buffer.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "The form could not be read: \(error.description).")
        }
    }
}
