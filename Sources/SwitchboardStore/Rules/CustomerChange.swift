import Foundation
import SwitchboardCore

/// The rules of merging and unmerging customers, both stores': what is refused, what moves, what the
/// audit trail records. The stores read the rows and write the moves; the decisions are made here.
public enum CustomerChange {
    /// Refuses merging a customer into itself.
    public static func checkMerge(into: String, from: String) throws {
        guard into != from else { throw StoreError.sameCustomer(into) }
    }

    /// The kept customer's name after the merge, when it changes: the absorbed one's, if the kept one had none.
    public static func nameAfterMerge(kept: Customer, absorbed: Customer) -> String? {
        kept.name == nil ? absorbed.name : nil
    }

    /// Refuses splitting off an identity the customer does not hold, or their only one.
    public static func checkUnmerge(_ identity: Identity, from customer: Customer) throws {
        guard customer.identities.contains(identity) else {
            throw StoreError.identityNotHeld(identity.description, customer: customer.id)
        }
        guard customer.identities.count > 1 else { throw StoreError.onlyIdentity(identity.description) }
    }

    /// The audit entry of a merge; `conversations` in order of start, `promises` soonest due first.
    public static func mergeEntry(
        into: String, absorbed: Customer, conversations: [String], promises: [String], actor: String, now: Date
    ) -> CustomerAuditEntry {
        CustomerAuditEntry(
            id: 0, customerId: into, otherCustomerId: absorbed.id, action: .merge, actor: actor, at: now,
            identities: absorbed.identities.map(\.description), conversations: conversations, promises: promises)
    }

    /// The audit entry of an unmerge into the customer `created`; `promises` conversation by conversation,
    /// each one's soonest due first.
    public static func unmergeEntry(
        _ identity: Identity, from customerId: String, created: String, conversations: [String], promises: [String],
        actor: String, now: Date
    ) -> CustomerAuditEntry {
        CustomerAuditEntry(
            id: 0, customerId: customerId, otherCustomerId: created, action: .unmerge, actor: actor, at: now,
            identities: [identity.description], conversations: conversations, promises: promises)
    }

    /// What an audit entry stores besides its columns.
    package struct Detail: Codable, Sendable {
        package var identities: [String]
        package var conversations: [String]
        package var promises: [String]

        package init(_ entry: CustomerAuditEntry) {
            identities = entry.identities
            conversations = entry.conversations
            promises = entry.promises
        }
    }

    /// A new customer's id.
    public static func newCustomerId() -> String {
        "cus_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}
