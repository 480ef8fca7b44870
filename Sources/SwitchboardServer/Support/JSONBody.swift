import Foundation
import Hummingbird
import NIOCore

/// Reading a JSON request body with a size limit and errors that name the problem.
enum JSONBody {
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext, limit: Int = 1 << 20
    ) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "body exceeds the limit of \(limit) bytes")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.httpError(error)
        }
    }

    static func httpError(_ error: DecodingError) -> HTTPError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return HTTPError(.unprocessableContent, message: "missing required field: \(path(context.codingPath + [key]))")
        case .valueNotFound(_, let context):
            return HTTPError(.unprocessableContent, message: "missing required field: \(path(context.codingPath))")
        case .typeMismatch(_, let context):
            if context.codingPath.isEmpty { return HTTPError(.badRequest, message: "the body must be a JSON object") }
            return HTTPError(
                .unprocessableContent, message: "invalid field \(path(context.codingPath)): \(context.debugDescription)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return HTTPError(.badRequest, message: "malformed JSON body: \(context.debugDescription)")
            }
            return HTTPError(
                .unprocessableContent, message: "invalid field \(path(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return HTTPError(.badRequest, message: "malformed JSON body")
        }
    }
}

/// A JSON response with a chosen status.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: Body

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(body, from: request, context: context)
        response.status = status
        return response
    }
}
