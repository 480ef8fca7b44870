import Foundation

/// Totals over a customer's earlier conversations, on every channel and source: what an agent reads
/// first, before the entries themselves.
public struct HistorySummary: Sendable, Hashable, Codable {
    /// Earlier conversations, all of them (the entries listed are capped).
    public var conversations: Int
    /// Hops between agents over those conversations.
    public var transfers: Int
    /// The outcome of the most recently resolved one.
    public var lastOutcome: String?
    /// The customer's latest message before this conversation.
    public var lastContactAt: Date?
    /// Seconds from that message to when the handoff was built.
    public var secondsSinceLastContact: Int?

    public init(
        conversations: Int = 0, transfers: Int = 0, lastOutcome: String? = nil, lastContactAt: Date? = nil,
        secondsSinceLastContact: Int? = nil
    ) {
        self.conversations = conversations
        self.transfers = transfers
        self.lastOutcome = lastOutcome
        self.lastContactAt = lastContactAt
        self.secondsSinceLastContact = secondsSinceLastContact
    }

    enum CodingKeys: String, CodingKey {
        case conversations, transfers
        case lastOutcome = "last_outcome"
        case lastContactAt = "last_contact_at"
        case secondsSinceLastContact = "seconds_since_last_contact"
    }
}

/// How much history a handoff carries, so that it stays small.
public struct HistoryLimits: Sendable, Hashable {
    /// Earlier conversations listed, newest first.
    public var entries: Int
    /// Characters kept of each text in an entry (its first message, its outcome notes, each agent note).
    public var characters: Int

    public init(entries: Int = 20, characters: Int = 500) {
        self.entries = entries
        self.characters = characters
    }

    /// `text` cut to the limit, marked with an ellipsis when cut.
    public func cap(_ text: String) -> String {
        guard text.count > characters else { return text }
        return String(text.prefix(max(0, characters - 1))) + "…"
    }
}
