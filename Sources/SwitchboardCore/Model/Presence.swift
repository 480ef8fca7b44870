/// Whether an agent can take new conversations.
public enum Presence: String, Sendable, Codable, CaseIterable {
    case online
    case away
    case offline
}
