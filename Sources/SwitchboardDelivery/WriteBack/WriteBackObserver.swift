/// What the write-back service reports as it goes, for metrics. Every method is called once per event.
public protocol WriteBackObserver: Sendable {
    /// The platform took a write-back of `source`.
    func writeBackDone(source: String)
    /// An attempt failed: no answer, or an error status. It is retried unless given up.
    func writeBackFailed(source: String)
    /// The platform refused a write-back for good (an unknown conversation, an invalid assignee); not retried.
    func writeBackGivenUp(source: String)
    /// Nothing was sent: `reason` is `no_platform_id` (the agent has no id on the platform) or `not_configured`
    /// (the source no longer has write-back).
    func writeBackSkipped(source: String, reason: String)
}

/// An observer that ignores everything.
public struct NoWriteBackObserver: WriteBackObserver {
    public init() {}
    public func writeBackDone(source: String) {}
    public func writeBackFailed(source: String) {}
    public func writeBackGivenUp(source: String) {}
    public func writeBackSkipped(source: String, reason: String) {}
}
