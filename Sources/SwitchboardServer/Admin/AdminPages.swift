import Foundation
import Hummingbird
import Mustache
import NIOCore

/// The /admin page's Mustache templates (`Admin/Templates/*.mustache`, copied into the module's
/// resource bundle) and the HTML responses made from them. `{{ }}` escapes every value for HTML.
struct AdminPages: Sendable {
    private let library: MustacheLibrary

    /// Reads every template of the resource bundle; throws when one does not parse.
    static func load() async throws -> AdminPages {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw AdminPagesError.templatesMissing(Bundle.module.bundlePath)
        }
        return AdminPages(library: try await MustacheLibrary(directory: directory.path))
    }

    /// `name` rendered with `view` as an HTML response.
    func render(_ name: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(view, withTemplate: name) ?? "template \(name) is missing"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that names what went wrong, with a way back.
    func error(_ status: HTTPResponse.Status, message: String) -> Response {
        render(
            "error", ErrorView(title: "\(status.code) \(status.reasonPhrase)", message: message), status: status)
    }

    struct ErrorView {
        /// `403 Forbidden`.
        var title: String
        var message: String
    }
}

enum AdminPagesError: Error, CustomStringConvertible {
    case templatesMissing(String)

    var description: String {
        switch self {
        case .templatesMissing(let bundle):
            "the admin page's templates are missing from \(bundle): copy Switchboard_SwitchboardServer.resources next to the binary"
        }
    }
}
