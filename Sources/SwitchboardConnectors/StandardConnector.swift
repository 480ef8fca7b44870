import Foundation
import StandardWebhooks
import SwitchboardCore

/// Switchboard's own format (kind `standard`), signed per Standard Webhooks; the webhook id is the
/// idempotency key.
public struct StandardConnector: Connector {
    let verifier: WebhookVerifier

    public init(secret: WebhookSecret, tolerance: Duration) {
        self.verifier = WebhookVerifier(secret: secret, tolerance: tolerance)
    }

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        do {
            try verifier.verify(
                id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
                signature: request.header("webhook-signature"), body: request.body, now: request.receivedAt)
        } catch .timestampOutsideTolerance {
            throw .timestampOutsideTolerance
        } catch {
            throw .unauthenticated(error.description)
        }
        do {
            _ = try StandardPayload.message(from: request.body, source: "", receivedAt: request.receivedAt)
        } catch {
            throw .payload(error)
        }
        return .event(key: request.header("webhook-id") ?? "")
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        try StandardPayload.message(from: body, source: source, receivedAt: receivedAt)
    }
}
