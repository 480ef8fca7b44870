import Foundation
import Hummingbird

/// The request context of every Switchboard endpoint: JSON in and out, dates as ISO 8601.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who made the request, once a bearer token was accepted: `token:` and 12 hex digits of an admin or
    /// viewer token's SHA-256, or `desk:` and a desk token's id. Audit trails name it.
    public var actor: String?
    /// What the caller may do, once a bearer token was accepted.
    var access: Access?
    /// The client's IP address, as the connection shows it (a proxy's, behind one).
    let clientAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
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
