/// A platform whose conversations can be told who took them.
public enum WriteBackPlatform: String, Sendable, CaseIterable {
    /// Sets the ticket's assignee: ``ZendeskWriteBack``.
    case zendesk
    /// Adds an assignment part to the conversation: ``IntercomWriteBack``.
    case intercom
    /// Sets the conversation's assignee: ``FrontWriteBack``.
    case front
    /// Posts a notice naming the agent into the room: ``MatrixWriteBack``.
    case matrix
}
