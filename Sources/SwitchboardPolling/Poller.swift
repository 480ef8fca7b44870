import Foundation
import SwitchboardStore

/// Something Switchboard pulls messages from: an IMAP mailbox, a Matrix account.
///
/// `poll` takes the cursor the last committed batch left (nil the first time) and returns the next
/// batch with the cursor that covers it. The ``PollingService`` commits the batch and the cursor in
/// one transaction, so a crash between two polls takes nothing twice and skips nothing. A poll may
/// wait (a Matrix long-poll) but must return when its task is cancelled.
public protocol Poller: Sendable {
    func poll(cursor: String?) async throws -> PollBatch
}

/// One batch of polled messages.
public struct PollBatch: Sendable {
    /// The messages, as inbound events (the body is a `PolledConnector` body; the webhook id is the
    /// source's own message id, so a message seen twice is a duplicate).
    public var events: [InboundEvent]
    /// Where the next poll starts.
    public var cursor: String
    /// More is waiting: poll again at once instead of after the interval.
    public var more: Bool
    /// How far behind the source the newest message taken was, when the source says.
    public var lag: Duration?

    public init(events: [InboundEvent], cursor: String, more: Bool = false, lag: Duration? = nil) {
        self.events = events
        self.cursor = cursor
        self.more = more
        self.lag = lag
    }
}

/// What the polling service reports, for metrics.
public protocol PollingObserver: Sendable {
    /// A batch was committed: `taken` new messages (duplicates excluded), at `at`, `lag` behind.
    func polled(source: String, taken: Int, at: Date, lag: Duration?)
    /// A poll or its commit failed.
    func pollFailed(source: String)
}
