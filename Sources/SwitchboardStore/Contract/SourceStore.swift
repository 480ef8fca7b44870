import Foundation
import SwitchboardCore

/// What the sources of conversations write: webhooks appended to the inbound log, polled batches with
/// their cursor, and the leases that decide which instance polls a source.
public protocol SourceStore: Sendable {
    /// Durably appends an inbound event. Returns only after the event is committed (it survives a
    /// kill -9 of the process); a second event with the same source and webhook id is a duplicate
    /// and changes nothing.
    func append(_ event: InboundEvent) async throws -> AppendOutcome

    /// Where a polled source (a mailbox, a chat account) left off; nil before its first batch.
    func pollCursor(source: String) async throws -> String?

    /// Durably appends a polled batch and moves the source's cursor past it, in one transaction:
    /// after a crash either both are there or neither, so nothing is taken twice or skipped. Events
    /// already stored (same source and idempotency key) are duplicates.
    func appendPolled(_ events: [InboundEvent], source: String, cursor: String, now: Date) async throws -> [AppendOutcome]

    /// Takes the lease `name` (a polled mailbox, a chat account) for `holder` until `now + duration`, when it
    /// is free, has expired, or is `holder`'s already (which renews it). Returns whether `holder` holds it now.
    /// With several instances sharing a store, the one holding a source's lease is the one polling it; when
    /// it stops renewing (it died), another takes the lease once it expires.
    func acquireLease(_ name: String, holder: String, for duration: Double, now: Date) async throws -> Bool

    /// Gives the lease `name` up, if `holder` holds it, so another may take it at once.
    func releaseLease(_ name: String, holder: String) async throws

    /// Empties the body of each inbound event received before `cutoff` that the router has applied,
    /// keeping its source and webhook id, so that a platform's late repeat is still a duplicate; at
    /// most `limit` a call, oldest first. Returns how many were emptied.
    func pruneInboundBodies(receivedBefore cutoff: Date, limit: Int) async throws -> Int
}
