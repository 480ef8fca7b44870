import Foundation
import Hummingbird
import Logging
import NIOCore
import StandardWebhooks
import SwitchboardCore
import SwitchboardStore

/// `POST /v1/inbound/{source}`: verify, normalise, append durably, acknowledge.
///
/// 202 means the event is committed and survives a kill -9; a repeated webhook id answers 200 and
/// changes nothing. Errors answer 401 (signature or timestamp), 404 (unknown source), 400
/// (malformed body), 422 (missing or invalid field) or 413 (too large), always before anything is stored.
struct InboundController {
    let sources: [String: InboundSource]
    let store: any Store
    let signals: RoutingSignals
    let maxBodyBytes: Int
    let logger: Logger

    /// The two answers, made once: the sender knows its webhook id, so the body only says what
    /// happened, and encoding it per request cost a fifth of the endpoint's throughput.
    static let accepted = acknowledgement(.accepted, #"{"status":"accepted"}"#)
    static let duplicate = acknowledgement(.ok, #"{"status":"duplicate"}"#)

    private static func acknowledgement(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post(":source", use: receive)
        return routes
    }

    @Sendable func receive(request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("source")
        guard let source = sources[name] else {
            throw HTTPError(.notFound, message: "unknown source \"\(name)\"")
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
        let webhookId: String
        do {
            webhookId = try source.accept(headers: request.headers, body: bytes, receivedAt: receivedAt)
        } catch let error as WebhookVerificationError {
            logger.notice("inbound rejected", metadata: ["source": "\(name)", "reason": "\(error)"])
            throw HTTPError(.unauthorized, message: error.description)
        } catch let error as PayloadError {
            throw error.httpError
        }
        let event = InboundEvent(
            source: name, kind: source.kind.rawValue, webhookId: webhookId, receivedAt: receivedAt,
            body: bytes)
        switch try await store.append(event) {
        case .stored:
            signals.eventsAppended()
            return Self.accepted
        case .duplicate:
            return Self.duplicate
        }
    }
}
