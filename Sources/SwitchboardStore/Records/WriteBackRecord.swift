/// A stored write-back as it stands, for tests and diagnostics.
public struct WriteBackRecord: Sendable, Equatable {
    public var id: String
    public var agentId: String
    public var status: WriteBackStatus
    /// Attempts made: failed ones, plus the one that succeeded.
    public var attempts: Int
    /// Why the last attempt failed, or why it was skipped or failed for good.
    public var lastError: String?

    public init(id: String, agentId: String, status: WriteBackStatus, attempts: Int, lastError: String?) {
        self.id = id
        self.agentId = agentId
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
    }
}

/// Where a write-back stands.
public enum WriteBackStatus: String, Sendable, CaseIterable {
    /// Waiting for its first attempt or a retry.
    case pending
    /// The platform took it.
    case done
    /// Nothing to send: the agent has no id on the platform, or the source no longer has write-back.
    case skipped
    /// The platform refused it for good (an unknown ticket, an invalid assignee); not retried.
    case failed
    /// A later acceptance of the same conversation replaced it before it was sent.
    case superseded
}
