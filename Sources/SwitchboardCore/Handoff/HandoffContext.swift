/// What the store gathers for a handoff: the conversation so far, the customer and their history.
public struct HandoffContext: Sendable {
    public var conversation: Conversation
    public var customer: Customer
    /// Oldest first.
    public var transcript: [TranscriptMessage]
    /// The customer's other conversations, newest first.
    public var history: [HistoryEntry]
    /// Notes agents left on this conversation, oldest first.
    public var notes: [AgentNote]
    /// Totals over all the customer's earlier conversations.
    public var historySummary: HistorySummary
    /// The customer's promises not yet kept, soonest due first.
    public var promises: [Promise]
    /// The promise this conversation follows up, when it is a follow-up.
    public var followUp: Promise?

    public init(
        conversation: Conversation, customer: Customer, transcript: [TranscriptMessage], history: [HistoryEntry],
        notes: [AgentNote] = [], historySummary: HistorySummary = HistorySummary(), promises: [Promise] = [],
        followUp: Promise? = nil
    ) {
        self.historySummary = historySummary
        self.promises = promises
        self.followUp = followUp
        self.conversation = conversation
        self.customer = customer
        self.transcript = transcript
        self.history = history
        self.notes = notes
    }
}
