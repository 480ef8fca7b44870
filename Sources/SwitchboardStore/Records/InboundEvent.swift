import Foundation
import SwitchboardCore

/// An accepted inbound webhook, as it arrived. The log keeps the platform's own body: it was
/// verified and validated before the append, and the router normalises it again when it routes,
/// which keeps re-encoding off the acknowledgement path.
public struct InboundEvent: Sendable {
    public var source: String
    /// The source's kind (`standard`, ...), which says how to normalise `body`.
    public var kind: String
    /// The sender's idempotency key (`webhook-id` for the standard kind).
    public var webhookId: String
    public var receivedAt: Date
    public var body: [UInt8]

    public init(source: String, kind: String, webhookId: String, receivedAt: Date, body: [UInt8]) {
        self.source = source
        self.kind = kind
        self.webhookId = webhookId
        self.receivedAt = receivedAt
        self.body = body
    }
}

/// What `append` did with an event.
public enum AppendOutcome: Sendable, Equatable {
    /// Committed, with its position in the log.
    case stored(sequence: Int64)
    /// The same source and webhook id were stored before; nothing changed.
    case duplicate
}

/// A stored inbound event the router has not applied yet, with its position in the log.
public struct PendingEvent: Sendable {
    public var sequence: Int64
    public var event: InboundEvent

    public init(sequence: Int64, event: InboundEvent) {
        self.sequence = sequence
        self.event = event
    }
}

/// A pending event after normalisation, ready to apply. `message` is nil when the body can no
/// longer be normalised (say, its source kind was removed): applying it only advances the cursor.
public struct RoutableEvent: Sendable {
    public var sequence: Int64
    public var receivedAt: Date
    public var message: InboundMessage?

    public init(sequence: Int64, receivedAt: Date, message: InboundMessage?) {
        self.sequence = sequence
        self.receivedAt = receivedAt
        self.message = message
    }
}

/// What one `apply` call did.
public struct ApplySummary: Sendable, Equatable {
    public var events = 0
    public var offered = 0
    public var waiting = 0
    public var followUps = 0
    /// Messages seen before under the same conversation and message id.
    public var repeatedMessages = 0
    public init() {}
}

/// A delivery due for an attempt, with where it goes.
public struct DueDelivery: Sendable {
    public var id: String
    public var agentId: String
    public var kind: String
    public var payload: [UInt8]
    public var attempts: Int
    /// Nil when the agent has no desk any more; the delivery then waits for one.
    public var desk: Desk?

    public init(id: String, agentId: String, kind: String, payload: [UInt8], attempts: Int, desk: Desk?) {
        self.id = id
        self.agentId = agentId
        self.kind = kind
        self.payload = payload
        self.attempts = attempts
        self.desk = desk
    }
}

extension ApplySummary {
    /// Counts what a message's effects did.
    package mutating func count(_ effects: [RoutingEffect]) {
        for effect in effects {
            switch effect {
            case .offer: offered += 1
            case .wait: waiting += 1
            case .followUp: followUps += 1
            case .accept, .release: break
            }
        }
    }
}
