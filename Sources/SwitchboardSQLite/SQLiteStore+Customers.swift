import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func customer(id: String) async throws -> CustomerRecord {
        try await pool.read { db in try SQLiteCustomers.record(id: id, db: db) }
    }

    public func customerId(for identity: Identity) async throws -> String? {
        try await pool.read { db in try SQLiteCustomers.owner(of: identity, db: db) }
    }

    public func merge(into customerId: String, from other: String, actor: String, now: Date) async throws
        -> CustomerAuditEntry
    {
        try await writer.write { db in try SQLiteCustomers.merge(into: customerId, from: other, actor: actor, now: now, db: db) }
    }

    public func unmerge(_ identity: Identity, from customerId: String, actor: String, now: Date) async throws
        -> CustomerAuditEntry
    {
        try await writer.write { db in
            try SQLiteCustomers.unmerge(identity, from: customerId, actor: actor, now: now, db: db)
        }
    }

    public func unkeptPromises(conversationId: String) async throws -> [Promise] {
        try await pool.read { db in try SQLitePromises.unkept(conversationId: conversationId, db: db) }
    }

    public func customerAudit(id: String) async throws -> [CustomerAuditEntry] {
        try await pool.read { db in try SQLiteCustomers.auditTrail(customerId: id, db: db) }
    }

    public func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext? {
        try await pool.read { db in
            try SQLiteRouting.context(conversationId: conversationId, limits: self.historyLimits, now: now, db: db)
        }
    }
}
