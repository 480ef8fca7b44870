import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore

/// Reading a JSON request body with a size limit and errors that name the problem.
enum JSONBody {
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: AppRequestContext, limit: Int = 1 << 20
    ) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "body exceeds the limit of \(limit) bytes")
        }
        do {
            return try context.requestDecoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw PayloadError(decoding: error).httpError
        }
    }
}

extension PayloadError {
    /// 400 for a body that is not JSON at all, 422 for a JSON body with a missing or invalid field.
    var httpError: HTTPError {
        switch self {
        case .malformed: HTTPError(.badRequest, message: description)
        case .missingField, .invalidField: HTTPError(.unprocessableContent, message: description)
        }
    }
}
