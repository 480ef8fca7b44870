import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardConfig

/// Why a routing-table request was refused. Answers as JSON in the same shape as every other error
/// (`{"error": {"message": …}}`), with the problems of an invalid draft listed under `error.problems`.
enum RouteTablesError: Error, CustomStringConvertible, HTTPResponseError {
    case noDraft
    case draftHasProblems([ConfigProblem])
    case staleDraft(base: Int, published: Int)
    case conflict(String)
    case unknownVersion(Int)
    case alreadyInForce(Int)
    case badRequest(String)
    case unknownSource(String)
    case unprocessable(String)

    var status: HTTPResponse.Status {
        switch self {
        case .noDraft, .unknownVersion, .unknownSource: .notFound
        // The request is sound; the draft it runs is not (yet): the draft's state is the conflict.
        case .staleDraft, .conflict, .alreadyInForce, .draftHasProblems: .conflict
        case .badRequest: .badRequest
        case .unprocessable: .unprocessableContent
        }
    }

    var description: String {
        switch self {
        case .noDraft: "there is no draft: save one with PUT /v1/routes/draft first"
        case .draftHasProblems(let problems):
            "the draft has \(problems.count) problem\(problems.count == 1 ? "" : "s"); the first: \(problems.first?.description ?? "")"
        case .staleDraft(let base, let published):
            "the draft was started from version \(base), but version \(published) is published now: "
                + "discard it (DELETE /v1/routes/draft) and edit the published table again"
        case .conflict(let message): message
        case .unknownVersion(let number): "there is no version \(number)"
        case .alreadyInForce(let number): "version \(number)'s table is the one in force already"
        case .badRequest(let message), .unknownSource(let message), .unprocessable(let message): message
        }
    }

    var problems: [ConfigProblem] {
        if case .draftHasProblems(let problems) = self { return problems }
        return []
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = RouteErrorBody(
            error: .init(message: description, problems: problems.isEmpty ? nil : problems.map(RouteProblemView.init)))
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}

/// `{"error": {"message": …, "problems": [...]}}`.
private struct RouteErrorBody: Encodable {
    struct Detail: Encodable {
        var message: String
        var problems: [RouteProblemView]?
    }
    var error: Detail
}
