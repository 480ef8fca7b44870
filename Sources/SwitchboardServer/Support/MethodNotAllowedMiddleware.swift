import HTTPTypes
import Hummingbird

/// Answers 405 Method Not Allowed, with an `Allow` header listing the methods the path takes, where
/// Hummingbird would answer a bare 404 because the path exists but not with this method.
///
/// Add it to the router after every route, so that it wraps only the router's not-found responder;
/// it acts only on that responder's 404, which has no message (the controllers' 404s always have one).
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each registered path with the methods it takes.
    private let paths: [(path: RouterPath, methods: Set<String>)]

    init(routes: [Router<Context>.RouteDescription]) {
        paths = Dictionary(grouping: routes, by: \.path.description).values.map { routes in
            (routes[0].path, Set(routes.map(\.method.rawValue)))
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let allowed = methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            let list = allowed.joined(separator: ", ")
            throw HTTPError(
                .methodNotAllowed, headers: [.allow: list],
                message: "\(request.method.rawValue) is not supported on \(request.uri.path); it takes \(list)")
        }
    }

    /// The methods of every registered path that matches `path`, sorted.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        var found: Set<String> = []
        for entry in paths where entry.path.components.count == segments.count {
            if zip(entry.path.components, segments).allSatisfy({ $0 ~= $1 }) { found.formUnion(entry.methods) }
        }
        return found.sorted()
    }
}
