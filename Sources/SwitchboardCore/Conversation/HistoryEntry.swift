import Foundation

/// One earlier conversation of the same customer, on any channel and from any source.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var id: String
    public var source: String
    public var channel: String
    public var startedAt: Date
    public var firstMessage: String
    public var status: ConversationStatus
    public var outcome: String?
    public var notes: String?
    public var agentId: String?
    /// Notes agents left on it (on transfer and on resolve), oldest first.
    public var agentNotes: [AgentNote]
    public var transfers: Int

    public init(
        id: String, source: String, channel: String, startedAt: Date, firstMessage: String,
        status: ConversationStatus, outcome: String? = nil, notes: String? = nil, agentId: String? = nil,
        agentNotes: [AgentNote] = [], transfers: Int = 0
    ) {
        self.agentNotes = agentNotes
        self.transfers = transfers
        self.id = id
        self.source = source
        self.channel = channel
        self.startedAt = startedAt
        self.firstMessage = firstMessage
        self.status = status
        self.outcome = outcome
        self.notes = notes
        self.agentId = agentId
    }

    enum CodingKeys: String, CodingKey {
        case id, source, channel, status, outcome, notes, transfers
        case agentNotes = "agent_notes"
        case startedAt = "started_at"
        case firstMessage = "first_message"
        case agentId = "agent_id"
    }
}
