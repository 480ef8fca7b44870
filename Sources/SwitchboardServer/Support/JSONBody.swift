import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore

/// Reading a JSON request body with a size limit and errors that name the problem.
enum JSONBody {
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: AppRequestContext, limit: Int = 1 << 20
    ) async throws -> T {
        try decode(T.self, from: try await collect(request, limit: limit), context: context)
    }

    /// As ``decode(_:from:context:limit:)``, but an empty body is nil: for bodies whose every field has a default.
    static func decodeOptional<T: Decodable>(
        _ type: T.Type, from request: Request, context: AppRequestContext, limit: Int = 1 << 20
    ) async throws -> T? {
        let data = try await collect(request, limit: limit)
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return nil }
        return try decode(T.self, from: data, context: context)
    }

    private static func collect(_ request: Request, limit: Int) async throws -> Data {
        var request = request
        do {
            return Data(try await request.collectBody(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "body exceeds the limit of \(limit) bytes")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, context: AppRequestContext) throws -> T {
        do {
            return try context.requestDecoder.decode(T.self, from: data)
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
