import Curl
import Foundation
import Logging
import StandardWebhooks
import SwitchboardConfig
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardStore

/// A configured source: its name, its kind and the connector that authenticates and reads its requests.
struct InboundSource: Sendable {
    let name: String
    let kind: SourceKind
    let connector: any Connector
    /// The URL the platform posts to, when configured (Twilio signs it).
    let publicURL: String?
    /// Looks up Slack users' emails, when the source has an API token.
    let directory: SlackDirectory?

    init(settings: SourceSettings, tolerance: Duration, client: CurlClient, logger: Logger) throws {
        self.name = settings.name
        self.kind = settings.kind
        self.publicURL = settings.publicURL
        self.connector = try Self.connector(for: settings, tolerance: tolerance)
        if settings.kind == .slack, let token = settings.apiToken {
            directory = SlackDirectory(
                client: client, token: token, apiURL: settings.apiURL ?? "https://slack.com/api", logger: logger)
        } else {
            directory = nil
        }
    }

    static func connector(for settings: SourceSettings, tolerance: Duration) throws -> any Connector {
        switch settings.kind {
        case .standard: StandardConnector(secret: try WebhookSecret(settings.secret), tolerance: tolerance)
        case .slack: SlackConnector(signingSecret: settings.secret, tolerance: tolerance)
        case .zendesk: ZendeskConnector(signingSecret: settings.secret, tolerance: tolerance)
        case .helpscout: HelpScoutConnector(secret: settings.secret)
        case .intercom: IntercomConnector(clientSecret: settings.secret)
        case .twilio: TwilioConnector(authToken: settings.secret)
        case .front: FrontConnector(appSecret: settings.secret, tolerance: tolerance)
        case .email:
            EmailConnector(
                username: settings.username, password: settings.password, token: settings.token, senders: settings.senders)
        case .imap, .matrix: PolledConnector()
        }
    }
}

/// Every configured source by name: the inbound endpoint verifies with them, and the router reads
/// stored events with the same connectors.
struct InboundSources: Sendable {
    let byName: [String: InboundSource]

    init(_ settings: [SourceSettings], tolerance: Duration, client: CurlClient, logger: Logger) throws {
        var byName: [String: InboundSource] = [:]
        for source in settings {
            byName[source.name] = try InboundSource(settings: source, tolerance: tolerance, client: client, logger: logger)
        }
        self.byName = byName
    }

    subscript(name: String) -> InboundSource? { byName[name] }

    struct UnknownSource: Error, CustomStringConvertible {
        var source: String
        var description: String { "source \"\(source)\" is no longer configured" }
    }

    /// The message of a stored event, read by its source's connector, with what the platform's
    /// directory knows of the customer (a Slack user's email).
    func message(of event: InboundEvent) async throws -> InboundMessage {
        guard let source = byName[event.source] else { throw UnknownSource(source: event.source) }
        let message = try source.connector.message(from: event.body, source: event.source, receivedAt: event.receivedAt)
        guard let directory = source.directory else { return message }
        return await directory.enrich(message)
    }
}
