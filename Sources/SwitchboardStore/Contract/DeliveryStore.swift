import Foundation
import SwitchboardCore

/// The outboxes: handoffs and notices to agents' desks, and write-backs to the platforms. Each row is
/// stored in the routing transaction that causes it, so nothing is sent that was not committed and
/// nothing committed is lost.
public protocol DeliveryStore: Sendable {
    /// Deliveries due for an attempt, oldest due first, with their desk. A later delivery of a handoff is not
    /// due while an earlier one is pending. With several instances sharing the store, each delivery returned
    /// is claimed for the caller's instance until it is settled (``markDelivered(_:)``,
    /// ``scheduleRetry(id:attempts:nextAttemptAt:error:)``) or the claim runs out, so only one sends it.
    func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery]

    /// When the next pending delivery falls due; nil when none is pending.
    func nextDeliveryDue() async throws -> Date?

    /// The desks took these deliveries: all of them are marked in one transaction.
    func markDelivered(_ deliveries: [DeliveredMark]) async throws

    func scheduleRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws

    /// Write-backs due for an attempt, oldest due first, with the agent's current id on the platform. Like
    /// deliveries, they are claimed for the caller's instance until settled, when several share the store.
    ///
    /// A write-back is stored in the transaction of the acceptance that causes it, for conversations whose
    /// source has write-back; it replaces (``WriteBackStatus/superseded``) one still pending for the same
    /// conversation, so the platform ends up naming the last agent who accepted.
    func dueWriteBacks(now: Date, limit: Int) async throws -> [DueWriteBack]

    /// When the next pending write-back falls due; nil when none is pending.
    func nextWriteBackDue() async throws -> Date?

    /// The platform took the write-back. A write-back superseded meanwhile stays superseded.
    func markWriteBackDone(id: String, at: Date) async throws

    /// A failed attempt, the `attempts`-th: try again at `nextAttemptAt`.
    func scheduleWriteBackRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws

    /// Ends a pending write-back without sending it (`skipped`) or after the platform refused it for good
    /// (`failed`), keeping `reason`.
    func endWriteBack(id: String, status: WriteBackStatus, at: Date, reason: String) async throws

    /// How many write-backs are pending.
    func pendingWriteBacks() async throws -> Int
}

/// A delivery the desk took, and when.
public struct DeliveredMark: Sendable, Hashable {
    public var id: String
    public var at: Date

    public init(id: String, at: Date) {
        self.id = id
        self.at = at
    }
}

extension DeliveryStore {
    /// The desk took one delivery.
    public func markDelivered(id: String, at: Date) async throws {
        try await markDelivered([DeliveredMark(id: id, at: at)])
    }
}
