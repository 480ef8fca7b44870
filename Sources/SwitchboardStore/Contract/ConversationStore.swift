import Foundation
import SwitchboardCore

/// Conversations and customers as the agent and admin APIs read and change them.
public protocol ConversationStore: Sendable {
    func conversation(id: String) async throws -> Conversation?

    /// Every decision made for a conversation, oldest first.
    func decisions(conversationId: String) async throws -> [Decision]

    /// The most recently started conversations, newest first, each with its latest customer message.
    func recentConversations(limit: Int) async throws -> [RecentConversation]

    /// What a handoff of the conversation would carry now.
    func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext?

    /// The promises made in a conversation and not kept yet, soonest due first.
    func unkeptPromises(conversationId: String) async throws -> [Promise]

    /// The customer with identities, conversations and promises not yet kept. Throws
    /// ``StoreError/unknownCustomer(_:)`` or ``StoreError/mergedCustomer(_:into:)``.
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
}
