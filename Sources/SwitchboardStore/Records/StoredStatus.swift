import SwitchboardCore

/// A status column's value. Both stores write statuses into their statements and partial indexes
/// from these types, never as words of their own: `WHERE status = \(DeliveryStatus.pending.sql)`.
public protocol StoredStatus: RawRepresentable<String>, CaseIterable, Sendable {}

extension StoredStatus {
    /// The status as an SQL string literal: `'pending'`. The values are fixed identifiers, never input.
    public var sql: String { "'\(rawValue)'" }
}

/// Where a handoff delivery stands.
public enum DeliveryStatus: String, StoredStatus {
    /// Waiting for its first attempt or a retry.
    case pending
    /// The desk took it.
    case delivered
}

extension ConversationStatus: StoredStatus {}
extension AssignmentStatus: StoredStatus {}
extension Promise.Status: StoredStatus {}
extension WriteBackStatus: StoredStatus {}
