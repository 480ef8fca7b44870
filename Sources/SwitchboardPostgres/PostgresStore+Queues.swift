import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// The inbound log, poll cursors, deliveries, write-backs and routing-table versions: NOT YET PORTED (stubs).
extension PostgresStore {
    public func append(_ event: InboundEvent) async throws -> AppendOutcome {
        throw PostgresStoreError.notImplemented("append")
    }

    public func pollCursor(source: String) async throws -> String? {
        throw PostgresStoreError.notImplemented("pollCursor")
    }

    public func appendPolled(_ events: [InboundEvent], source: String, cursor: String, now: Date) async throws -> [AppendOutcome] {
        throw PostgresStoreError.notImplemented("appendPolled")
    }

    public func pendingEvents(limit: Int) async throws -> [PendingEvent] {
        throw PostgresStoreError.notImplemented("pendingEvents")
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        throw PostgresStoreError.notImplemented("dueDeliveries")
    }

    public func nextDeliveryDue() async throws -> Date? {
        throw PostgresStoreError.notImplemented("nextDeliveryDue")
    }

    public func markDelivered(id: String, at: Date) async throws {
        throw PostgresStoreError.notImplemented("markDelivered")
    }

    public func scheduleRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        throw PostgresStoreError.notImplemented("scheduleRetry")
    }

    public func dueWriteBacks(now: Date, limit: Int) async throws -> [DueWriteBack] {
        throw PostgresStoreError.notImplemented("dueWriteBacks")
    }

    public func nextWriteBackDue() async throws -> Date? {
        throw PostgresStoreError.notImplemented("nextWriteBackDue")
    }

    public func markWriteBackDone(id: String, at: Date) async throws {
        throw PostgresStoreError.notImplemented("markWriteBackDone")
    }

    public func scheduleWriteBackRetry(id: String, attempts: Int, nextAttemptAt: Date, error: String) async throws {
        throw PostgresStoreError.notImplemented("scheduleWriteBackRetry")
    }

    public func endWriteBack(id: String, status: WriteBackStatus, at: Date, reason: String) async throws {
        throw PostgresStoreError.notImplemented("endWriteBack")
    }

    public func pendingWriteBacks() async throws -> Int {
        throw PostgresStoreError.notImplemented("pendingWriteBacks")
    }

    public func routeVersions() async throws -> [RouteVersionRecord] {
        throw PostgresStoreError.notImplemented("routeVersions")
    }

    public func routeVersion(_ number: Int) async throws -> RouteVersionRecord? {
        throw PostgresStoreError.notImplemented("routeVersion")
    }

    public func publishedRouteVersion() async throws -> RouteVersionRecord? {
        throw PostgresStoreError.notImplemented("publishedRouteVersion")
    }

    public func publishRoutes(_ publication: RoutePublication, now: Date) async throws -> RouteVersionRecord {
        throw PostgresStoreError.notImplemented("publishRoutes")
    }

    public func routeDraft() async throws -> RouteDraftRecord? {
        throw PostgresStoreError.notImplemented("routeDraft")
    }

    public func saveRouteDraft(_ draft: RouteDraftRecord, summary: String, diff: String) async throws {
        throw PostgresStoreError.notImplemented("saveRouteDraft")
    }

    public func deleteRouteDraft() async throws -> Bool {
        throw PostgresStoreError.notImplemented("deleteRouteDraft")
    }

    public func routeAudit(limit: Int) async throws -> [RouteAuditEntry] {
        throw PostgresStoreError.notImplemented("routeAudit")
    }

    public func recentConversations(limit: Int) async throws -> [RecentConversation] {
        throw PostgresStoreError.notImplemented("recentConversations")
    }

    public func maintain() async throws {
        throw PostgresStoreError.notImplemented("maintain")
    }
}
