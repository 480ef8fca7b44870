/// Signs outgoing webhooks per the Standard Webhooks spec.
public struct WebhookSigner: Sendable {
    /// The secret shared with the receiver.
    let secret: WebhookSecret

    /// Creates a signer for `secret`.
    public init(secret: WebhookSecret) {
        self.secret = secret
    }

    /// The `webhook-signature` value for one message: `v1,` and the base64 of
    /// HMAC-SHA256 over `"\(id).\(timestamp).\(body)"`.
    ///
    /// - Parameters:
    ///   - id: The `webhook-id`; the same across retries of one message.
    ///   - timestamp: The `webhook-timestamp`, in seconds since the Unix epoch.
    ///   - body: The exact bytes that will be sent as the request body.
    public func signature(id: String, timestamp: Int, body: some Collection<UInt8>) -> String {
        let mac = secret.authenticationCode(id: id, timestamp: timestamp, body: body)
        return "v1," + mac.withUnsafeBytes { Base64.encode($0) }
    }

    /// The three headers to send with the message, in the order
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    public func headers(
        id: String, timestamp: Int, body: some Collection<UInt8>
    ) -> [(name: String, value: String)] {
        [
            (name: WebhookHeaderName.id, value: id),
            (name: WebhookHeaderName.timestamp, value: String(timestamp)),
            (name: WebhookHeaderName.signature, value: signature(id: id, timestamp: timestamp, body: body)),
        ]
    }
}
