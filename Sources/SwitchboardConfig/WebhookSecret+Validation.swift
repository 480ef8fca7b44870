import StandardWebhooks

extension WebhookSecret {
    /// What a secret in a file or variable must look like, for messages.
    static let writtenForm = "a Standard Webhooks secret: whsec_ followed by base64"

    /// Whether `text` is written as `whsec_<base64>` and decodes to a key.
    static func isValid(_ text: String) -> Bool {
        text.hasPrefix("whsec_") && (try? WebhookSecret(text)) != nil
    }
}
