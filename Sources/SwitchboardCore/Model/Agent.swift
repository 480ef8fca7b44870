/// A person who receives handoffs: their skills, their authority, and how many conversations they can hold.
public struct Agent: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// Presence as configured or last set through the API; `offline` when not given.
    public var status: Presence
    /// Proficiency per skill, 1...5.
    public var skills: [String: Int]
    /// Limits and permissions, e.g. `refund_limit: 500`, `approve_returns: true`.
    public var authority: [String: AuthorityGrant]
    /// How many conversations at once per channel, e.g. `chat: 3`. A channel not listed takes none. The
    /// key `total` caps all channels together.
    public var capacity: [String: Int]
    /// Where handoffs go. An agent without a desk is never chosen.
    public var desk: Desk?
    /// The agent's own id on each platform, by source name (key `platform_ids`), e.g. `zd: "12345"` (a
    /// Zendesk user id), `ic: "814860"` (an Intercom admin id), `fr: "tea_abc"` (a Front teammate id). Write-back
    /// names the agent as the assignee with it; a source without an entry gets no write-back for this agent.
    public var platformIds: [String: String]

    public init(
        id: String, name: String, status: Presence = .offline, skills: [String: Int] = [:],
        authority: [String: AuthorityGrant] = [:], capacity: [String: Int] = [:], desk: Desk? = nil,
        platformIds: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.skills = skills
        self.authority = authority
        self.capacity = capacity
        self.desk = desk
        self.platformIds = platformIds
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, skills, authority, capacity, desk
        case platformIds = "platform_ids"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        status = try c.decodeIfPresent(Presence.self, forKey: .status) ?? .offline
        skills = try c.decodeIfPresent([String: Int].self, forKey: .skills) ?? [:]
        authority = try c.decodeIfPresent([String: AuthorityGrant].self, forKey: .authority) ?? [:]
        capacity = try c.decodeIfPresent([String: Int].self, forKey: .capacity) ?? [:]
        desk = try c.decodeIfPresent(Desk.self, forKey: .desk)
        platformIds = try c.decodeIfPresent([String: String].self, forKey: .platformIds) ?? [:]
    }
}

extension Agent {
    /// Problems that make this definition unusable, in words an admin can act on. Empty when valid.
    public var problems: [String] {
        var found: [String] = []
        if id.isEmpty { found.append("id must not be empty") }
        for (skill, level) in skills.sorted(by: { $0.key < $1.key }) where !(1...5).contains(level) {
            found.append("skill \(skill) has level \(level), but levels are 1 to 5")
        }
        for (channel, slots) in capacity.sorted(by: { $0.key < $1.key }) {
            if slots < 0 {
                found.append("capacity for \(channel) is \(slots), but it cannot be negative")
            } else if slots > Agent.maxCapacity {
                found.append("capacity for \(channel) is \(slots), but at most \(Agent.maxCapacity)")
            }
        }
        if let desk, !(desk.url.hasPrefix("http://") || desk.url.hasPrefix("https://")) {
            found.append("desk url \"\(desk.url)\" must start with http:// or https://")
        }
        for (source, platformId) in platformIds.sorted(by: { $0.key < $1.key })
        where platformId.allSatisfy(\.isWhitespace) {
            found.append("platform id for \(source) must not be empty")
        }
        return found
    }

    /// The cap over all channels together (`capacity.total`), if any.
    public var totalCapacity: Int? { capacity[Agent.totalCapacityKey] }

    /// The capacity key that caps all channels together.
    public static let totalCapacityKey = "total"

    /// The most conversations an agent can hold at once on one channel (or in total). More is a typo,
    /// and the routing engine adds an agent's capacities up, which must not overflow.
    public static let maxCapacity = 10_000

    /// The agent's definition with the desk secret removed, for API responses.
    public var redacted: Agent {
        var copy = self
        if var desk = copy.desk {
            desk.secret = desk.secret.isEmpty ? "" : "(set)"
            copy.desk = desk
        }
        return copy
    }
}
