import StandardWebhooks
import SwitchboardConnectors

/// One connector of each kind, with made-up secrets, for reading bodies without a server: the
/// parsers' benchmark and the fuzz targets read stored bodies through them.
public enum OfflineConnectors {
    /// Every kind that reads a stored body, by the source kind's name.
    public static let all: [(name: String, connector: any Connector)] = [
        ("slack", SlackConnector(signingSecret: "slack-signing-secret-0123456789")),
        ("zendesk", ZendeskConnector(signingSecret: "zendesk-signing-secret-0123456789")),
        ("intercom", IntercomConnector(clientSecret: "intercom-client-secret-0123456789")),
        ("front", FrontConnector(appSecret: "front-app-secret-0123456789")),
        ("helpscout", HelpScoutConnector(secret: "helpscout-secret-0123456789")),
        ("email", EmailConnector(username: nil, password: nil, token: nil)),
        ("twilio", TwilioConnector(authToken: "twilio-auth-token-0123456789")),
        ("standard", StandardConnector(secret: WebhookSecret(key: Array(repeating: 7, count: 32)), tolerance: .seconds(300))),
    ]
}
