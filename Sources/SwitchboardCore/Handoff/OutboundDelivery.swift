/// A signed POST to an agent's desk, stored before it is attempted.
public struct OutboundDelivery: Sendable, Hashable {
    /// The `webhook-id` the desk sees; stable across retries so the desk can dedupe.
    public var id: String
    public var agentId: String
    public var handoffId: String
    /// `handoff`, `message` or `released`.
    public var kind: String
    public var payload: [UInt8]

    public init(id: String, agentId: String, handoffId: String, kind: String, payload: [UInt8]) {
        self.id = id
        self.agentId = agentId
        self.handoffId = handoffId
        self.kind = kind
        self.payload = payload
    }
}
