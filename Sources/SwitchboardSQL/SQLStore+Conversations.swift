import Foundation
import SwitchboardCore
import SwitchboardStore

/// Conversations and customers as the agent and admin APIs read and change them.
extension SQLStore {
    public func conversation(id: String) async throws -> Conversation? {
        try await reading { session in try await SQLConversations.fetch(id: id, session: session)?.0 }
    }

    public func decisions(conversationId: String) async throws -> [Decision] {
        try await reading { session in
            try await session.column(
                "SELECT body FROM decisions WHERE conversation_id = \(conversationId) ORDER BY id", as: Data.self
            ).map { try StoreJSON.decode(Decision.self, from: $0) }
        }
    }

    public func recentConversations(limit: Int) async throws -> [RecentConversation] {
        try await reading { session in
            try await SQLConversations.fetch(
                "1 = 1 ORDER BY started_at DESC, \(SQL.storedOrder("conversations")) DESC LIMIT \(limit)", session: session
            ).map { conversation, message in
                RecentConversation(
                    id: conversation.id, channel: conversation.channel, startedAt: conversation.startedAt,
                    message: message, agentId: conversation.agentId, previousAgentId: conversation.previousAgentId)
            }
        }
    }

    public func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext? {
        let limits = historyLimits
        return try await snapshot { session in
            try await SQLRouting.context(conversationId: conversationId, limits: limits, now: now, session: session)
        }
    }

    public func unkeptPromises(conversationId: String) async throws -> [Promise] {
        try await reading { session in try await SQLPromises.unkept(conversationId: conversationId, session: session) }
    }

    public func customer(id: String) async throws -> CustomerRecord {
        try await snapshot { session in try await SQLCustomers.record(id: id, session: session) }
    }

    public func customerId(for identity: Identity) async throws -> String? {
        try await reading { session in try await SQLCustomers.owner(of: identity, session: session) }
    }

    public func merge(into customerId: String, from other: String, actor: String, now: Date) async throws
        -> CustomerAuditEntry
    {
        try await routing(changed: { _ in false }) { session in
            try await SQLCustomers.merge(into: customerId, from: other, actor: actor, now: now, session: session)
        }
    }

    public func unmerge(_ identity: Identity, from customerId: String, actor: String, now: Date) async throws
        -> CustomerAuditEntry
    {
        try await routing(changed: { _ in false }) { session in
            try await SQLCustomers.unmerge(identity, from: customerId, actor: actor, now: now, session: session)
        }
    }

    public func customerAudit(id: String) async throws -> [CustomerAuditEntry] {
        try await reading { session in try await SQLCustomers.auditTrail(customerId: id, session: session) }
    }
}
