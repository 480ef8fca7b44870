/// Where an agent's handoffs are delivered: a webhook URL and the Standard Webhooks secret that signs them.
public struct Desk: Sendable, Hashable, Codable {
    /// The URL that receives handoffs as signed POST requests.
    public var url: String
    /// The `whsec_` secret the deliveries are signed with. Never logged.
    public var secret: String

    public init(url: String, secret: String) {
        self.url = url
        self.secret = secret
    }
}
