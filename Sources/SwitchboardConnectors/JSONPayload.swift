import Foundation
import SwitchboardCore

/// Decoding a platform's JSON body with errors that name the field (`event.channel`).
enum JSONPayload {
    private static let decoder = JSONDecoder()
    private static let isoDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    enum Dates { case deferredToDecoder, iso8601 }

    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], dates: Dates = .deferredToDecoder) throws(PayloadError)
        -> T
    {
        do {
            return try (dates == .iso8601 ? isoDecoder : decoder).decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw PayloadError(decoding: error)
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// A required, non-empty string.
    static func required(_ value: String?, _ path: String) throws(PayloadError) -> String {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw .missingField(path)
        }
        return value
    }
}

extension ConnectorRejection {
    /// Runs a parse on the request path, turning its error into a rejection.
    static func reading<T>(_ body: () throws(PayloadError) -> T) throws(ConnectorRejection) -> T {
        do {
            return try body()
        } catch {
            throw .payload(error)
        }
    }
}
