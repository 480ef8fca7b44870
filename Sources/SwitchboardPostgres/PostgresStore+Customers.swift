import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

extension PostgresStore {
    public func customer(id: String) async throws -> CustomerRecord {
        try await snapshot { session in try await PostgresCustomers.record(id: id, session: session) }
    }

    public func customerId(for identity: Identity) async throws -> String? {
        try await reading { session in try await PostgresCustomers.owner(of: identity, session: session) }
    }

    public func merge(into customerId: String, from other: String, actor: String, now: Date) async throws
        -> CustomerAuditEntry
    {
        try await writing { session in
            try await PostgresCustomers.merge(into: customerId, from: other, actor: actor, now: now, session: session)
        }
    }

    public func unmerge(_ identity: Identity, from customerId: String, actor: String, now: Date) async throws
        -> CustomerAuditEntry
    {
        try await writing { session in
            try await PostgresCustomers.unmerge(identity, from: customerId, actor: actor, now: now, session: session)
        }
    }

    public func unkeptPromises(conversationId: String) async throws -> [Promise] {
        try await reading { session in try await PostgresPromises.unkept(conversationId: conversationId, session: session) }
    }

    public func customerAudit(id: String) async throws -> [CustomerAuditEntry] {
        try await reading { session in try await PostgresCustomers.auditTrail(customerId: id, session: session) }
    }

    public func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext? {
        try await snapshot { session in
            try await PostgresRouting.context(
                conversationId: conversationId, limits: self.historyLimits, now: now, session: session)
        }
    }
}
