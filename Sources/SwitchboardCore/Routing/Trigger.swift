/// What prompted a routing decision. The engine passes these; a decision records their words
/// (`description`), which the API and the handoff show.
public enum Trigger: Sendable, Hashable, CustomStringConvertible {
    case newConversation
    case newMessage
    /// A promise fell due and reopened the conversation for the agent who made it.
    case promiseDue
    /// The holder no longer meets the conversation's requirements (a refund now above their limit).
    case escalated(agent: String, reasons: [Ineligibility])
    case requirementsRelaxed
    /// An agent has a free slot again (accepted, resolved, came online, ...).
    case agentAvailable(agent: String)
    case declined(agent: String, reason: String)
    case lapsed(agent: String)
    case deskRemoved(agent: String)
    /// The offered agent left before accepting: `went offline`, `went away`.
    case wentAway(agent: String, status: Presence)
    case transfer(from: String)
    case previousAgentUnavailable

    public var description: String {
        switch self {
        case .newConversation: "new conversation"
        case .newMessage: "new message"
        case .promiseDue: "promise due"
        case .escalated(let agent, let reasons):
            "escalated: \(agent) no longer qualifies (\(reasons.map(\.description).joined(separator: ", ")))"
        case .requirementsRelaxed: "waited longer: requirements relaxed"
        case .agentAvailable(let agent): "agent available: \(agent)"
        case .declined(let agent, let reason): "declined by \(agent)" + (reason.isEmpty ? "" : ": \(reason)")
        case .lapsed(let agent): "offer to \(agent) lapsed unanswered"
        case .deskRemoved(let agent): "\(agent) has no desk any more"
        case .wentAway(let agent, let status): "\(agent) went \(status.rawValue) before accepting"
        case .transfer(let from): "transfer by \(from)"
        case .previousAgentUnavailable: "previous agent unavailable"
        }
    }
}
