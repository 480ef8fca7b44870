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

    public init(
        conversation: Conversation, customer: Customer, transcript: [TranscriptMessage], history: [HistoryEntry],
        notes: [AgentNote] = []
    ) {
        self.conversation = conversation
        self.customer = customer
        self.transcript = transcript
        self.history = history
        self.notes = notes
    }
}
