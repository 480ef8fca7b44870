import Foundation
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

    init(settings: SourceSettings, tolerance: Duration) throws {
        self.name = settings.name
        self.kind = settings.kind
        self.publicURL = settings.publicURL
        self.connector = try Self.connector(for: settings, tolerance: tolerance)
    }

    static func connector(for settings: SourceSettings, tolerance: Duration) throws -> any Connector {
        switch settings.kind {
        case .standard: StandardConnector(secret: try WebhookSecret(settings.secret), tolerance: tolerance)
        case .slack: SlackConnector(signingSecret: settings.secret, tolerance: tolerance)
        case .twilio: TwilioConnector(authToken: settings.secret)
        case .front: FrontConnector(appSecret: settings.secret, tolerance: tolerance)
        case .email: EmailConnector(username: settings.username, password: settings.password, token: settings.token)
        case .zendesk, .intercom, .helpscout:
            throw UnavailableKind(kind: settings.kind.rawValue)
        }
    }

    struct UnavailableKind: Error, CustomStringConvertible {
        var kind: String
        var description: String { "source kind \"\(kind)\" has no connector yet" }
    }
}

/// Every configured source by name: the inbound endpoint verifies with them, and the router reads
/// stored events with the same connectors.
struct InboundSources: Sendable {
    let byName: [String: InboundSource]

    init(_ settings: [SourceSettings], tolerance: Duration) throws {
        var byName: [String: InboundSource] = [:]
        for source in settings { byName[source.name] = try InboundSource(settings: source, tolerance: tolerance) }
        self.byName = byName
    }

    subscript(name: String) -> InboundSource? { byName[name] }

    struct UnknownSource: Error, CustomStringConvertible {
        var source: String
        var description: String { "source \"\(source)\" is no longer configured" }
    }

    /// The message of a stored event, read by its source's connector.
    func message(of event: InboundEvent) throws -> InboundMessage {
        guard let source = byName[event.source] else { throw UnknownSource(source: event.source) }
        return try source.connector.message(from: event.body, source: event.source, receivedAt: event.receivedAt)
    }
}
