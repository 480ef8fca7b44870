/// Where an offer or assignment stands: held (`offered`, `accepted`) or how it ended.
public enum AssignmentStatus: String, Sendable, Codable, CaseIterable {
    case offered
    case accepted
    case declined
    case lapsed
    case withdrawn
    case moved
    case resolved
}
