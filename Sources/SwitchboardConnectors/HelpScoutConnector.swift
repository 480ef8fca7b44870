import Foundation
import SwitchboardCore

/// Help Scout webhooks (kind `helpscout`).
///
/// - Signature: `X-HelpScout-Signature` is the base64 HMAC-SHA1, keyed with the webhook's secret
///   key, of the raw body. Help Scout signs no timestamp, so there is no replay window to check:
///   the idempotency key stops a replayed event from being routed twice.
/// - The event name is the `X-HelpScout-Event` header. `helpscout.test` (the settings page's test
///   button) is answered 200 and stores nothing. `convo.created` and
///   `convo.customer.reply.created` are messages; every other event is acknowledged and ignored.
/// - The body is the conversation (``HelpScoutConversation``); the message is its latest customer
///   thread. There is no event id, so the idempotency key is the conversation id and that thread's id.
public struct HelpScoutConnector: Connector {
    static let test = "helpscout.test"
    static let handled: Set<String> = ["convo.created", "convo.customer.reply.created"]

    let secret: [UInt8]

    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// Checks the signature.
    public func verify(_ request: ConnectorRequest) throws(ConnectorRejection) {
        try Signature.check(
            request.header("x-helpscout-signature"), header: "X-HelpScout-Signature",
            expected: Signature.hmacSHA1(key: secret, [request.body]), encoding: .base64)
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        try verify(request)
        guard let event = request.header("x-helpscout-event").nonBlank else {
            throw .payload(.missingField("X-HelpScout-Event header"))
        }
        if event == Self.test { return .handshake(.json(["status": "ok"])) }
        guard Self.handled.contains(event) else { return .ignored(type: event) }
        return try ConnectorRejection.reading { () throws(PayloadError) in
            let conversation = try JSONPayload.decode(HelpScoutConversation.self, from: request.body)
            guard let thread = try conversation.latestCustomerThread() else {
                return .ignored(type: "\(event).no_customer_thread")
            }
            let message = try conversation.message(thread: thread, source: "", receivedAt: request.receivedAt)
            return .event(key: "\(message.conversationId):\(message.messageId)")
        }
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        let conversation = try JSONPayload.decode(HelpScoutConversation.self, from: body)
        guard let thread = try conversation.latestCustomerThread() else {
            throw .missingField("_embedded.threads (a customer thread)")
        }
        return try conversation.message(thread: thread, source: source, receivedAt: receivedAt)
    }
}
