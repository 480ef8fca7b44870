import Foundation
import HTTPTypes
import StandardWebhooks
import SwitchboardConfig
import SwitchboardCore

/// A configured source: how its requests are authenticated and turned into a message.
struct InboundSource: Sendable {
    let name: String
    let kind: SourceKind
    let verifier: WebhookVerifier

    init(settings: SourceSettings, tolerance: Duration) throws {
        self.name = settings.name
        self.kind = settings.kind
        self.verifier = WebhookVerifier(secret: try WebhookSecret(settings.secret), tolerance: tolerance)
    }

    /// Verifies the signature (throws `WebhookVerificationError`) and checks that the body normalises
    /// (throws `PayloadError`); returns the idempotency key. The router normalises the stored body again.
    func accept(headers: HTTPFields, body: [UInt8], receivedAt: Date) throws -> String {
        let id: String
        switch kind {
        case .standard:
            try verifier.verify(
                id: headers[.webhookId], timestamp: headers[.webhookTimestamp], signature: headers[.webhookSignature],
                body: body, now: receivedAt)
            id = headers[.webhookId] ?? ""
        }
        _ = try InboundNormalizer.message(kind: kind, source: name, body: body, receivedAt: receivedAt)
        return id
    }
}

extension HTTPField.Name {
    static let webhookId = Self("webhook-id")!
    static let webhookTimestamp = Self("webhook-timestamp")!
    static let webhookSignature = Self("webhook-signature")!
}
