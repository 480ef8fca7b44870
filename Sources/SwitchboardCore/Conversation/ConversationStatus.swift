/// Where a conversation stands.
public enum ConversationStatus: String, Sendable, Codable, CaseIterable {
    /// No eligible agent yet; it is routed the moment one becomes eligible.
    case waiting
    /// Offered to an agent, who holds capacity for it, and not yet accepted.
    case offered
    /// Accepted by its agent.
    case assigned
    /// Closed by its agent; capacity is free again.
    case resolved
}
