import Foundation
import SwitchboardConfig
import SwitchboardCore
import SwitchboardStore

/// Turns a source kind's body into the one message shape the router sees. The inbound endpoint
/// runs it to validate before acknowledging; the router runs it again on the stored body.
enum InboundNormalizer {
    struct UnknownKind: Error, CustomStringConvertible {
        var kind: String
        var description: String { "no normaliser for source kind \"\(kind)\"" }
    }

    static func message(kind: SourceKind, source: String, body: [UInt8], receivedAt: Date) throws(PayloadError)
        -> InboundMessage
    {
        switch kind {
        case .standard:
            try StandardPayload.message(from: body, source: source, receivedAt: receivedAt)
        }
    }

    /// The message of a stored event.
    static func message(of event: InboundEvent) throws -> InboundMessage {
        guard let kind = SourceKind(rawValue: event.kind) else { throw UnknownKind(kind: event.kind) }
        return try message(kind: kind, source: event.source, body: event.body, receivedAt: event.receivedAt)
    }
}
