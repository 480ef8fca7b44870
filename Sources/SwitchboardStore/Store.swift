import Foundation
import SwitchboardCore

/// Everything Switchboard keeps. One protocol, so that SQLite (embedded) and PostgreSQL (several
/// instances) can both implement it and pass the same behaviour tests.
///
/// Routing decisions are made by pure code in `SwitchboardCore`; the store gathers what they need
/// and commits their results atomically, together with the router's progress.
public protocol Store: Sendable {
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

    /// Inbound events the router has not applied yet, oldest first.
    func pendingEvents(limit: Int) async throws -> [PendingEvent]

    /// Applies normalised events in order: resolves the customer, records the conversation and
    /// message, asks `route` (the routing engine) what follows and persists its effects, and advances
    /// the router's cursor, all in one transaction. Events at or before the cursor are skipped.
    func apply(
        _ events: [RoutableEvent], now: Date, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> ApplySummary

    /// Writes `change`, then asks `decide` (the routing engine) what follows and persists its effects,
    /// all in one transaction. A `decide` that throws leaves nothing written.
    func commit<T: Sendable>(
        _ change: StoreChange, now: Date, decide: @Sendable () throws -> (T, [RoutingEffect])
    ) async throws -> T

    /// What the routing engine is rebuilt from: every agent with the load they hold, and every
    /// waiting or held conversation.
    func routingState() async throws -> RoutingState

    /// Reads the routing state inside the writer and hands it to `body`, so that no routing change
    /// commits between the read and what `body` builds from it.
    func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws

    /// Keeps `cache` (the router's engine) in step with the routing changes other processes commit to this
    /// store. See ``RoutingStateCache``; a store only one process uses ignores it.
    func attach(_ cache: any RoutingStateCache)

    /// The version of the routing state now; nil for a store only one process uses.
    func routingVersion() async throws -> Int64?

    /// Creates or replaces agents by id (definition and presence).
    func upsertAgents(_ agents: [Agent]) async throws

    /// All agents with their live load, in id order.
    func agentSnapshots() async throws -> [AgentSnapshot]

    func conversation(id: String) async throws -> Conversation?

    /// Every decision made for a conversation, oldest first.
    func decisions(conversationId: String) async throws -> [Decision]

    /// Deliveries due for an attempt, oldest due first, with their desk. A later delivery of a handoff is not
    /// due while an earlier one is pending. With several instances sharing the store, each delivery returned
    /// is claimed for the caller's instance until it is settled (``markDelivered(id:at:)``,
    /// ``scheduleRetry(id:attempts:nextAttemptAt:error:)``) or the claim runs out, so only one sends it.
    func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery]

    /// When the next pending delivery falls due; nil when none is pending.
    func nextDeliveryDue() async throws -> Date?

    func markDelivered(id: String, at: Date) async throws

    func scheduleRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws

    // MARK: write-backs

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

    // MARK: customers

    /// The customer with identities, conversations and promises not yet kept. Throws
    /// `CustomerChangeError` when unknown or merged into another customer.
    func customer(id: String) async throws -> CustomerRecord

    /// The customer holding an identity, by exact match.
    func customerId(for identity: Identity) async throws -> String?

    /// Moves everything of `other` into `customerId` and records it in the audit trail.
    func merge(into customerId: String, from other: String, actor: String, now: Date) async throws -> CustomerAuditEntry

    /// Splits `identity` off into a new customer, with the conversations recognised by it and their
    /// promises, and records it in the audit trail (`otherCustomerId` is the new customer).
    func unmerge(_ identity: Identity, from customerId: String, actor: String, now: Date) async throws -> CustomerAuditEntry

    /// Every merge and unmerge involving the customer, oldest first.
    func customerAudit(id: String) async throws -> [CustomerAuditEntry]

    /// The promises made in a conversation and not kept yet, soonest due first.
    func unkeptPromises(conversationId: String) async throws -> [Promise]

    /// What a handoff of the conversation would carry now.
    func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext?

    // MARK: promises

    /// Opens a follow-up for each promise due by `now` (at most `limit`), holding out `holdForAgent`
    /// seconds for the agent who made it, and asks `route` what follows, in one transaction. Returns
    /// how many were opened.
    func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int

    /// When the next open promise falls due.
    func nextPromiseDue() async throws -> Date?

    /// Promises past due and not kept.
    func overduePromises(now: Date) async throws -> Int

    // MARK: routing tables

    /// Every version of the routing table, newest first.
    func routeVersions() async throws -> [RouteVersionRecord]

    func routeVersion(_ number: Int) async throws -> RouteVersionRecord?

    /// The version in force; nil before the first.
    func publishedRouteVersion() async throws -> RouteVersionRecord?

    /// Records the files as the next version, makes it the published one and keeps its audit entry, in one
    /// transaction. Throws ``RouteVersionConflict`` when the published version is not `expected`.
    func publishRoutes(_ publication: RoutePublication, now: Date) async throws -> RouteVersionRecord

    func routeDraft() async throws -> RouteDraftRecord?

    /// Keeps the draft, replacing any other, with its audit entry (`draft`), in one transaction.
    func saveRouteDraft(_ draft: RouteDraftRecord, summary: String, diff: String) async throws

    /// Discards the draft, if any; returns whether there was one.
    func deleteRouteDraft() async throws -> Bool

    /// Changes to the routing tables, newest first.
    func routeAudit(limit: Int) async throws -> [RouteAuditEntry]

    /// The most recently started conversations, newest first, each with its latest customer message.
    func recentConversations(limit: Int) async throws -> [RecentConversation]

    // MARK: leases

    /// Takes the lease `name` (a polled mailbox, a chat account) for `holder` until `now + duration`, when it
    /// is free, has expired, or is `holder`'s already (which renews it). Returns whether `holder` holds it now.
    /// With several instances sharing a store, the one holding a source's lease is the one polling it; when
    /// it stops renewing (it died), another takes the lease once it expires.
    func acquireLease(_ name: String, holder: String, for duration: Double, now: Date) async throws -> Bool

    /// Gives the lease `name` up, if `holder` holds it, so another may take it at once.
    func releaseLease(_ name: String, holder: String) async throws

    /// Housekeeping the server runs about once a second (for SQLite: checkpointing the inbound
    /// log off the acknowledgement path).
    func maintain() async throws
}
