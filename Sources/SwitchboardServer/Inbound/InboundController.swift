import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardStore

/// `POST /v1/inbound/{source}` (and `/v1/inbound/{source}/{token}` for a secret path): verify with the
/// source's connector, then store and acknowledge, answer a handshake, or acknowledge and ignore.
///
/// 202 means the event is committed and survives a kill -9; a repeated idempotency key answers 200
/// and changes nothing. A handshake is answered with what the platform expects; an event Switchboard
/// does not route answers 200 `{"status":"ignored"}` and is counted. Errors answer 401 (signature,
/// credentials or timestamp), 404 (unknown source), 400 (malformed body), 422 (missing or invalid
/// field) or 413 (too large), always before anything is stored.
struct InboundController {
    let sources: InboundSources
    let store: any SourceStore
    let signals: RoutingSignals
    let metrics: RoutingMetrics
    let maxBodyBytes: Int
    let logger: Logger
    /// Throttles guessing an `email` source's password or path token (the signed kinds need no secret guessed).
    var throttle: AuthThrottle?

    /// The two answers, made once: the sender knows its webhook id, so the body only says what
    /// happened, and encoding it per request cost a fifth of the endpoint's throughput.
    static let accepted = acknowledgement(.accepted, #"{"status":"accepted"}"#)
    static let duplicate = acknowledgement(.ok, #"{"status":"duplicate"}"#)
    static let ignored = acknowledgement(.ok, #"{"status":"ignored"}"#)

    private static func acknowledgement(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post(":source", use: receive)
        routes.post(":source/:token", use: receive)
        return routes
    }

    @Sendable func receive(request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("source")
        guard let source = sources[name] else {
            throw HTTPError(.notFound, message: "unknown source \"\(name)\"")
        }
        guard !source.kind.isPolled else {
            throw HTTPError(.notFound, message: "source \"\(name)\" is polled (\(source.kind.rawValue)); it takes no webhooks")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "body exceeds the limit of \(maxBodyBytes) bytes")
        }
        let receivedAt = Date()
        let bytes = Array(body.readableBytesView)
        // Only an email source's password or path token can be guessed; the signed kinds pay nothing for this.
        let throttled = source.kind == .email ? throttle : nil
        let keys =
            throttled == nil
            ? []
            : AuthThrottle.keys(
                address: context.clientAddress,
                presented: context.parameters.get("token") ?? request.headers[.authorization] ?? "")
        try throttled?.check(keys, kind: "inbound")
        let outcome: ConnectorOutcome
        do {
            outcome = try source.connector.receive(
                Self.connectorRequest(request, body: bytes, source: source, token: context.parameters.get("token"), at: receivedAt))
        } catch {
            switch error {
            case .unauthenticated, .timestampOutsideTolerance:
                logger.notice("inbound rejected", metadata: ["source": "\(name)", "reason": "\(error)"])
                try await throttled?.failed(keys, kind: "inbound")
                throw HTTPError(.unauthorized, message: error.description)
            case .payload(let problem):
                throw problem.httpError
            }
        }
        switch outcome {
        case .handshake(let reply):
            return Response(
                status: .ok, headers: [.contentType: reply.contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
        case .ignored(let type):
            metrics.inboundIgnored(source: name, type: source.connector.metricLabel(forIgnored: type))
            return Self.ignored
        case .event(let key):
            let event = InboundEvent(
                source: name, kind: source.kind.rawValue, webhookId: key, receivedAt: receivedAt, body: bytes)
            switch try await store.append(event) {
            case .stored:
                signals.eventsAppended()
                return Self.accepted
            case .duplicate:
                return Self.duplicate
            }
        }
    }

    /// The request as the connector sees it; the URL is the source's public URL when configured
    /// (the server may sit behind a proxy), with the query string the platform sent.
    static func connectorRequest(
        _ request: Request, body: [UInt8], source: InboundSource, token: String?, at receivedAt: Date
    ) -> ConnectorRequest {
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let rawQuery = request.uri.query.map { "?" + $0 } ?? ""
        let url = (source.publicURL.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 }
            ?? "\(request.uri.path)") + rawQuery
        return ConnectorRequest(
            headers: headers, body: body, url: url, query: query, pathToken: token, receivedAt: receivedAt)
    }
}
