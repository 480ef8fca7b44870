import Foundation
import Hummingbird
import SwitchboardCore

/// An agent as the API shows it: the definition without the desk secret, plus live load.
struct AgentView: ResponseEncodable, Sendable {
    var agent: Agent
    var load: [String: Int]
    var lastAssignedAt: Date?

    init(_ snapshot: AgentSnapshot) {
        self.agent = snapshot.agent.redacted
        self.load = snapshot.load
        self.lastAssignedAt = snapshot.lastAssignedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, skills, authority, capacity, desk, load
        case platformIds = "platform_ids"
        case lastAssignedAt = "last_assigned_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agent.id, forKey: .id)
        try container.encode(agent.name, forKey: .name)
        try container.encode(agent.status, forKey: .status)
        try container.encode(agent.skills, forKey: .skills)
        try container.encode(agent.authority, forKey: .authority)
        try container.encode(agent.capacity, forKey: .capacity)
        try container.encodeIfPresent(agent.desk.map { ["url": $0.url] }, forKey: .desk)
        if !agent.platformIds.isEmpty { try container.encode(agent.platformIds, forKey: .platformIds) }
        try container.encode(load, forKey: .load)
        try container.encodeIfPresent(lastAssignedAt, forKey: .lastAssignedAt)
    }
}
