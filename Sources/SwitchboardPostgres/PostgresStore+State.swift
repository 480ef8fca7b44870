import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Customers, conversations, routing, promises: NOT YET PORTED (stubs).
extension PostgresStore {
    public func apply(
        _ events: [RoutableEvent], now: Date, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> ApplySummary {
        throw PostgresStoreError.notImplemented("apply")
    }

    public func commit<T: Sendable>(
        _ change: StoreChange, now: Date, decide: @Sendable () throws -> (T, [RoutingEffect])
    ) async throws -> T {
        throw PostgresStoreError.notImplemented("commit")
    }

    public func routingState() async throws -> RoutingState {
        throw PostgresStoreError.notImplemented("routingState")
    }

    public func withRoutingState(_ body: @Sendable (RoutingState) throws -> Void) async throws {
        throw PostgresStoreError.notImplemented("withRoutingState")
    }

    public func upsertAgents(_ agents: [Agent]) async throws {
        throw PostgresStoreError.notImplemented("upsertAgents")
    }

    public func agentSnapshots() async throws -> [AgentSnapshot] {
        throw PostgresStoreError.notImplemented("agentSnapshots")
    }

    public func conversation(id: String) async throws -> Conversation? {
        throw PostgresStoreError.notImplemented("conversation")
    }

    public func decisions(conversationId: String) async throws -> [Decision] {
        throw PostgresStoreError.notImplemented("decisions")
    }

    public func customer(id: String) async throws -> CustomerRecord {
        throw PostgresStoreError.notImplemented("customer")
    }

    public func customerId(for identity: Identity) async throws -> String? {
        throw PostgresStoreError.notImplemented("customerId")
    }

    public func merge(into customerId: String, from other: String, actor: String, now: Date) async throws -> CustomerAuditEntry {
        throw PostgresStoreError.notImplemented("merge")
    }

    public func unmerge(_ identity: Identity, from customerId: String, actor: String, now: Date) async throws -> CustomerAuditEntry {
        throw PostgresStoreError.notImplemented("unmerge")
    }

    public func customerAudit(id: String) async throws -> [CustomerAuditEntry] {
        throw PostgresStoreError.notImplemented("customerAudit")
    }

    public func unkeptPromises(conversationId: String) async throws -> [Promise] {
        throw PostgresStoreError.notImplemented("unkeptPromises")
    }

    public func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext? {
        throw PostgresStoreError.notImplemented("handoffContext")
    }

    public func dispatchDuePromises(
        now: Date, holdForAgent: Double, limit: Int, route: @Sendable (ConversationMessage) -> [RoutingEffect]
    ) async throws -> Int {
        throw PostgresStoreError.notImplemented("dispatchDuePromises")
    }

    public func nextPromiseDue() async throws -> Date? {
        throw PostgresStoreError.notImplemented("nextPromiseDue")
    }

    public func overduePromises(now: Date) async throws -> Int {
        throw PostgresStoreError.notImplemented("overduePromises")
    }
}
