/// One reason an agent cannot take a conversation. The engine decides on these; they become words
/// (`description`) only in a decision's explanation, an error message and the handoff.
public enum Ineligibility: Sendable, Hashable, CustomStringConvertible {
    /// The agent holds the conversation now (a transfer cannot go back to them).
    case holdsIt
    /// The agent declined this conversation before.
    case declined
    /// Not online: `offline`, `away`, ...
    case presence(Presence)
    case noDesk
    /// No slots at all on the conversation's channel.
    case noCapacity(channel: String)
    /// Every slot on the channel is in use.
    case atCapacity(channel: String, held: Int, slots: Int)
    /// The agent's cap over all channels is reached.
    case atTotalCapacity(held: Int, total: Int)
    /// A skill the agent lacks (level 0) or holds below the level needed.
    case skill(String, level: Int, needed: Int)
    /// An authority the agent does not hold, with the minimum needed when it is an amount.
    case missingAuthority(String, minimum: Double?)
    /// An authority held below the amount needed.
    case authorityBelow(String, grant: AuthorityGrant, minimum: Double)

    /// A reason about load, which passes when a slot frees up: not a reason to move a held conversation.
    public var isLoad: Bool {
        switch self {
        case .atCapacity, .atTotalCapacity: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .holdsIt: "holds it now"
        case .declined: "declined"
        case .presence(let status): status.rawValue
        case .noDesk: "no desk"
        case .noCapacity(let channel): "no capacity for \(channel)"
        case .atCapacity(let channel, let held, let slots): "at capacity for \(channel) (\(held)/\(slots))"
        case .atTotalCapacity(let held, let total): "at total capacity (\(held)/\(total))"
        case .skill(let skill, let level, let needed):
            level == 0 ? "no \(skill) skill (needs \(needed))" : "\(skill) \(level) < \(needed)"
        case .missingAuthority(let key, let minimum): minimum.map { "no \(key) (needs \(Value.number($0)))" } ?? "no \(key)"
        case .authorityBelow(let key, let grant, let minimum): "\(key) \(grant) < \(Value.number(minimum))"
        }
    }
}
