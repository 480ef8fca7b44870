import HTTPTypes

extension HTTPField.Name {
    static let webhookId = Self("webhook-id")!
    static let webhookTimestamp = Self("webhook-timestamp")!
    static let webhookSignature = Self("webhook-signature")!
}
