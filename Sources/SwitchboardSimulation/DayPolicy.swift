import Foundation
import SwitchboardCore

/// A conversation given to an agent, who takes it at once.
public struct Handover: Sendable, Hashable {
    public var conversation: Int
    public var agent: Int
}

/// How conversations reach agents: Switchboard's engine, or one of the usual policies it is compared with.
/// The simulator tells the policy what happens; the policy answers with the conversations it gives to agents.
protocol DayPolicy {
    /// A new conversation: its first message, and for a promise's follow-up the agent who made the promise.
    mutating func arrive(_ conversation: Int, message: InboundMessage, previousAgent: Int?, followUp: Bool, now: Date) -> [Handover]
    /// The agent is done with it (resolved, or closed): their slot is free.
    mutating func finish(_ conversation: Int, agent: Int, now: Date) -> [Handover]
    /// The agent cannot resolve it and passes it on; `needs` is what it takes. Nil when it cannot be passed on now
    /// (the agent keeps it and tries again later).
    mutating func transfer(_ conversation: Int, from agent: Int, needs: Requirements, now: Date) -> [Handover]?
    mutating func presence(_ agent: Int, _ status: Presence, now: Date) -> [Handover]
    /// When `tick` next has something to do.
    var nextTimer: Date? { get }
    mutating func tick(now: Date) -> [Handover]
}

/// The policies compared, in the order reports list them.
public enum PolicyKind: String, Sendable, CaseIterable, Codable {
    /// Switchboard's routing tables: skills and authority, one hop.
    case switchboard
    /// The next online agent with room, in turn, whatever the work needs (Chatwoot's and Zammad's round robin).
    case roundRobin = "round_robin"
    /// The agent with the most room among those with the skills the table asks for, authority ignored (Zendesk's
    /// skills-based routing).
    case skillsOnly = "skills_only"
    /// The agent idle longest among those with the skills, authority ignored.
    case longestIdle = "longest_idle"

    public var title: String {
        switch self {
        case .switchboard: "Switchboard"
        case .roundRobin: "Round robin"
        case .skillsOnly: "Skills only"
        case .longestIdle: "Longest idle, skills"
        }
    }
}
