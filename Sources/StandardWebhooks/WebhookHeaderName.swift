/// The header names the Standard Webhooks spec defines, lower-cased.
public enum WebhookHeaderName {
    /// `webhook-id`: the message's unique id, the same across retries.
    public static let id = "webhook-id"
    /// `webhook-timestamp`: when the message was signed, in seconds since the Unix epoch.
    public static let timestamp = "webhook-timestamp"
    /// `webhook-signature`: space-separated `v1,<base64>` signatures.
    public static let signature = "webhook-signature"
}
