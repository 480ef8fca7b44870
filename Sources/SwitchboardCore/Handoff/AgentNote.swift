import Foundation

/// A note an agent left on a conversation (on transfer or resolve), carried to whoever takes it next.
public struct AgentNote: Sendable, Hashable, Codable {
    public var agentId: String
    public var at: Date
    public var text: String

    public init(agentId: String, at: Date, text: String) {
        self.agentId = agentId
        self.at = at
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case at, text
        case agentId = "agent_id"
    }
}
