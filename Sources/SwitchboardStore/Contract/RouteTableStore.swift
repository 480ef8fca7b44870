import Foundation
import SwitchboardCore

/// The routing table's versions, its one draft, and their audit trail.
public protocol RouteTableStore: Sendable {
    /// Every version of the routing table, newest first.
    func routeVersions() async throws -> [RouteVersionRecord]

    func routeVersion(_ number: Int) async throws -> RouteVersionRecord?

    /// The version in force; nil before the first.
    func publishedRouteVersion() async throws -> RouteVersionRecord?

    /// Records the files as the next version, makes it the published one and keeps its audit entry, in one
    /// transaction. Throws ``StoreError/routeVersionConflict(expected:found:)`` when the published version is
    /// not `expected`.
    func publishRoutes(_ publication: RoutePublication, now: Date) async throws -> RouteVersionRecord

    func routeDraft() async throws -> RouteDraftRecord?

    /// Keeps the draft, replacing any other, with its audit entry (`draft`), in one transaction.
    func saveRouteDraft(_ draft: RouteDraftRecord, summary: String, diff: String) async throws

    /// Discards the draft, if any; returns whether there was one.
    func deleteRouteDraft() async throws -> Bool

    /// Changes to the routing tables, newest first.
    func routeAudit(limit: Int) async throws -> [RouteAuditEntry]
}
