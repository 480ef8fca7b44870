import Foundation
import Hummingbird
import NIOCore

/// `GET /openapi.json`: the OpenAPI 3.1 document of every endpoint, byte for byte as the repository
/// keeps it (`Sources/SwitchboardServer/Resources/openapi.json`). Open to anyone: it holds no secrets.
struct OpenAPIController {
    /// The document, read once at start-up.
    let document: ByteBuffer

    /// Why the document could not be read: the resource bundle sits beside the executable
    /// (`Switchboard_SwitchboardServer.resources`), so an install that forgot it fails at start-up.
    struct MissingDocument: Error, CustomStringConvertible {
        var description: String {
            "openapi.json is missing from \(Bundle.module.bundlePath); copy the Switchboard_SwitchboardServer.resources "
                + "directory next to the switchboard executable"
        }
    }

    /// Reads the document from the module's resources.
    static func load() throws -> OpenAPIController {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else { throw MissingDocument() }
        return OpenAPIController(document: ByteBuffer(bytes: try Data(contentsOf: url)))
    }

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(use: serve)
        return routes
    }

    @Sendable func serve(request: Request, context: AppRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: document))
    }
}
