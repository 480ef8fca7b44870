import Foundation
import SwitchboardCore

/// The connector of a source Switchboard polls (an IMAP mailbox, a Matrix account). It takes no
/// webhooks; its poller stores each message already read (MIME decoded, threaded) as the JSON of an
/// `InboundMessage`, which the router reads back here.
public struct PolledConnector: Connector {
    public init() {}

    public func receive(_ request: ConnectorRequest) throws(ConnectorRejection) -> ConnectorOutcome {
        throw .unauthenticated("this source is polled; it takes no webhooks")
    }

    public func message(from body: [UInt8], source: String, receivedAt: Date) throws(PayloadError) -> InboundMessage {
        var message = try JSONPayload.decode(InboundMessage.self, from: body, dates: .iso8601)
        message.source = source
        return message
    }

    /// The body a poller stores for a message.
    public static func body(of message: InboundMessage) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return Array((try? encoder.encode(message)) ?? Data())
    }
}
