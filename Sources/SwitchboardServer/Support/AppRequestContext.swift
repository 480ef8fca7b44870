import Foundation
import Hummingbird

/// The request context of every Switchboard endpoint: JSON in and out, dates as ISO 8601.
public struct AppRequestContext: ActorRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who made the request, once a bearer token was accepted.
    public var actor: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Shared coders: thread-safe, and costly to make per request.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public var requestDecoder: JSONDecoder { Self.decoder }
    public var responseEncoder: JSONEncoder { Self.encoder }
}
