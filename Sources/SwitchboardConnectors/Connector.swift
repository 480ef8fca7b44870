import Foundation
import SwitchboardCore

/// One platform's webhooks: how a request is authenticated, which requests are handshakes, and how an
/// event becomes the one message shape the router sees. Each source kind has one.
///
/// `receive` runs on the request path, before anything is stored: it verifies the request and says
/// whether to store it (with its idempotency key), answer a handshake, or acknowledge and ignore it.
/// `message` runs again in the router, on the stored body.
public protocol Connector: Sendable {
    /// Verifies and classifies a request. Throws ``ConnectorRejection`` for a request that is not
    /// authentic, is stale, or cannot be read.
    func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome

    /// The message of a stored event body, for the source named `source`.
    func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage

    /// The ignored event types counted under their own name; any other counts as `other`, so that the
    /// metric's series stay a closed set (``ConnectorIgnoredTypes``).
    var ignoredTypes: Set<String> { get }
}

/// An inbound request as a connector sees it.
public struct ConnectorRequest: Sendable {
    /// Header names in lower case; a repeated header keeps its first value.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The URL the platform called, as the platform saw it: the source's configured public URL when
    /// the server sits behind a proxy, with the query string.
    public var url: String
    /// The query parameters, decoded.
    public var query: [String: String]
    /// The part of the path after the source's name (`/v1/inbound/{name}/{token}`), if any.
    public var pathToken: String?
    public var receivedAt: Date

    public init(
        headers: [String: String], body: [UInt8], url: String = "", query: [String: String] = [:],
        pathToken: String? = nil, receivedAt: Date
    ) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
        self.url = url
        self.query = query
        self.pathToken = pathToken
        self.receivedAt = receivedAt
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What to do with an authentic request.
public enum ConnectorOutcome: Sendable, Equatable {
    /// Store the event under this idempotency key (a repeat of the key is a duplicate) and route it.
    case event(key: String)
    /// Answer the platform's handshake (a URL verification or a challenge); nothing is stored.
    case handshake(HandshakeReply)
    /// An event of a type Switchboard does not route (or a bot's own message): acknowledged with
    /// 200, counted under `type`, not stored.
    case ignored(type: String)
}

/// The answer to a handshake.
public struct HandshakeReply: Sendable, Equatable {
    public var contentType: String
    public var body: String

    public init(contentType: String, body: String) {
        self.contentType = contentType
        self.body = body
    }

    /// A JSON object with string values, e.g. `{"challenge": "..."}`.
    public static func json(_ fields: [String: String]) -> HandshakeReply {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return HandshakeReply(contentType: "application/json", body: String(decoding: data, as: UTF8.self))
    }

    public static func text(_ text: String) -> HandshakeReply {
        HandshakeReply(contentType: "text/plain; charset=utf-8", body: text)
    }
}

/// Why a request was refused, before anything was stored.
public enum ConnectorRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Missing or wrong signature, credentials or token: 401.
    case unauthenticated(String)
    /// The signed timestamp is too far from the server's clock: 401.
    case timestampOutsideTolerance
    /// The body cannot be read: 400 for a body that is not the format at all, 422 for a missing or invalid field.
    case payload(PayloadError)

    public var description: String {
        switch self {
        case .unauthenticated(let reason): reason
        case .timestampOutsideTolerance: "timestamp outside tolerance"
        case .payload(let error): error.description
        }
    }
}
