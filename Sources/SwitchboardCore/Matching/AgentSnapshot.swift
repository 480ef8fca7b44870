import Foundation

/// An agent as the matcher sees them at one moment: the definition plus live load.
public struct AgentSnapshot: Sendable, Hashable {
    public var agent: Agent
    /// Conversations currently held, per channel.
    public var load: [String: Int]
    /// When the agent last received a conversation; nil if never.
    public var lastAssignedAt: Date?

    public init(agent: Agent, load: [String: Int] = [:], lastAssignedAt: Date? = nil) {
        self.agent = agent
        self.load = load
        self.lastAssignedAt = lastAssignedAt
    }

    /// Conversations held on all channels.
    public var totalLoad: Int { load.values.reduce(0, +) }
}
