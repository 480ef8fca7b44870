import Foundation
import SwitchboardCore
import SwitchboardStore

/// Customers and their identities, inside the caller's transaction.
package enum SQLCustomers {
    /// The customer a message belongs to, by exact identity, the identity that decided it (``CustomerMatch``),
    /// and whether the message created the customer. The identities' owners come from `lookup`, which learns
    /// the identities given to the customer.
    static func resolve(
        _ message: InboundMessage, now: Date, lookup: inout SQLBatchLookup, session: some SQLSession
    ) async throws -> (Customer, via: Identity?, created: Bool) {
        let match = CustomerMatch(message, owners: lookup.owners(of: CustomerMatch.identities(of: message)))
        var hasOtherUser = false
        if let check = match.userCheck {
            hasOtherUser = try await hasUser(check.customerId, from: check.source, session: session)
        }
        let new = match.newIdentities
        guard let customerId = match.customerId(candidateHasOtherUser: hasOtherUser) else {
            // A new customer with its identities, and nothing to read back (PostgreSQL: one statement).
            let id = CustomerChange.newCustomerId()
            try await create(id: id, name: message.customer.name, identities: new, now: now, session: session)
            for identity in new { lookup.owners[identity] = id }
            return (match.createdCustomer(id: id, name: message.customer.name), match.via, true)
        }
        if let name = message.customer.name {
            try await session.execute("UPDATE customers SET name = \(name) WHERE id = \(customerId) AND name IS NULL")
        }
        if !new.isEmpty {
            try await session.execute("INSERT INTO identities (kind, value, customer_id) VALUES \(rows(new, customerId))")
            for identity in new { lookup.owners[identity] = customerId }
        }
        guard let customer = try await fetch(id: customerId, session: session) else {
            throw StoreError.inconsistent("customer \(customerId) vanished inside its own transaction")
        }
        return (customer, match.via, false)
    }

    /// `(kind, value, customer), …` for a multi-row `VALUES`.
    private static func rows(_ identities: [Identity], _ customerId: String) -> SQL {
        var rows: SQL = ""
        for (index, identity) in identities.enumerated() {
            rows = rows + (index == 0 ? "" : ", ") + "(\(identity.kind.rawValue), \(identity.value), \(customerId))"
        }
        return rows
    }

    private static func create(
        id: String, name: String?, identities: [Identity], now: Date, session: some SQLSession
    ) async throws {
        let insert: SQL = "INSERT INTO customers (id, name, created_at) VALUES (\(id), \(name), \(now))"
        guard !identities.isEmpty else { return try await session.execute(insert) }
        switch session.dialect {
        case .postgres:
            try await session.execute(
                """
                WITH customer AS (\(insert) RETURNING id)
                INSERT INTO identities (kind, value, customer_id) VALUES \(rows(identities, id))
                """)
        case .sqlite:
            try await session.execute(insert)
            try await session.execute("INSERT INTO identities (kind, value, customer_id) VALUES \(rows(identities, id))")
        }
    }

    /// The customer holding an identity.
    package static func owner(of identity: Identity, session: some SQLSession) async throws -> String? {
        try await session.value(
            "SELECT customer_id FROM identities WHERE kind = \(identity.kind.rawValue) AND value = \(identity.value)",
            as: String.self)
    }

    /// Whether the customer already has a user id from `source`.
    private static func hasUser(_ customerId: String, from source: String, session: some SQLSession) async throws -> Bool {
        let prefix = source + ":"
        return try await session.value(
            """
            SELECT COUNT(*) FROM identities WHERE customer_id = \(customerId) AND kind = 'source_user'
                AND substr(value, 1, length(\(prefix))) = \(prefix)
            """, as: Int.self) ?? 0 > 0
    }

    /// The customer with their identities, in byte order of kind and value: one query.
    static func fetch(id: String, session: some SQLSession) async throws -> Customer? {
        let rows = try await session.rows(
            """
            SELECT c.id, c.name, i.kind, i.value FROM customers c LEFT JOIN identities i ON i.customer_id = c.id
            WHERE c.id = \(id) ORDER BY i.kind\(SQL.bytewise), i.value\(SQL.bytewise)
            """, as: (String, String?, String?, String?).self)
        guard let (id, name, _, _) = rows.first else { return nil }
        let identities = rows.compactMap { _, _, kind, value in
            kind.flatMap(Identity.Kind.init(rawValue:)).flatMap { kind in value.map { Identity(kind: kind, value: $0) } }
        }
        return Customer(id: id, name: name, identities: identities)
    }

    /// The customer with their conversations and promises not yet kept; throws when unknown or merged away.
    static func record(id: String, session: some SQLSession) async throws -> CustomerRecord {
        let customer = try await live(id, session: session)
        let conversations = try await session.rows(
            """
            SELECT id, source, channel, status, started_at, agent_id, outcome, identity FROM conversations c
            WHERE customer_id = \(id) ORDER BY started_at DESC, \(SQL.storedOrder("c")) DESC
            """, as: (String, String, String, String, Date, String?, String?, String?).self
        ).map { id, source, channel, status, startedAt, agentId, outcome, identity in
            CustomerRecord.ConversationRef(
                id: id, source: source, channel: channel, status: ConversationStatus(rawValue: status) ?? .waiting,
                startedAt: startedAt, agentId: agentId, outcome: outcome, identity: identity)
        }
        return CustomerRecord(
            id: customer.id, name: customer.name, identities: customer.identities, conversations: conversations,
            promises: try await SQLPromises.unkept(customerId: id, session: session))
    }

    /// A customer that exists and was not merged into another.
    private static func live(_ id: String, session: some SQLSession) async throws -> Customer {
        if let into = try await session.value(
            "SELECT merged_into FROM customers WHERE id = \(id) AND merged_into IS NOT NULL", as: String.self)
        {
            throw StoreError.mergedAway(id, into: into)
        }
        guard let customer = try await fetch(id: id, session: session) else { throw StoreError.unknownCustomer(id) }
        return customer
    }

    /// Moves everything of `from` (identities, conversations, promises) to `into`, and records who did it.
    static func merge(
        into: String, from: String, actor: String, now: Date, session: some SQLSession
    ) async throws -> CustomerAuditEntry {
        try CustomerChange.checkMerge(into: into, from: from)
        let kept = try await live(into, session: session)
        let absorbed = try await live(from, session: session)
        let conversations = try await session.column(
            "SELECT id FROM conversations c WHERE customer_id = \(from) ORDER BY started_at, \(SQL.storedOrder("c"))",
            as: String.self)
        let promises = try await session.column(
            "SELECT id FROM promises WHERE customer_id = \(from) ORDER BY due, id\(SQL.bytewise)", as: String.self)
        try await session.execute("UPDATE identities SET customer_id = \(into) WHERE customer_id = \(from)")
        try await session.execute("UPDATE conversations SET customer_id = \(into) WHERE customer_id = \(from)")
        try await session.execute("UPDATE promises SET customer_id = \(into) WHERE customer_id = \(from)")
        try await session.execute("UPDATE customers SET merged_into = \(into) WHERE id = \(from)")
        if let name = CustomerChange.nameAfterMerge(kept: kept, absorbed: absorbed) {
            try await session.execute("UPDATE customers SET name = \(name) WHERE id = \(into)")
        }
        return try await audit(
            CustomerChange.mergeEntry(
                into: into, absorbed: absorbed, conversations: conversations, promises: promises, actor: actor, now: now),
            session: session)
    }

    /// Splits one identity off into a new customer, with the conversations recognised by it and their
    /// promises. Returns the audit entry; its `otherCustomerId` is the new customer.
    static func unmerge(
        _ identity: Identity, from customerId: String, actor: String, now: Date, session: some SQLSession
    ) async throws -> CustomerAuditEntry {
        let customer = try await live(customerId, session: session)
        try CustomerChange.checkUnmerge(identity, from: customer)
        let created = CustomerChange.newCustomerId()
        try await create(id: created, name: nil, identities: [], now: now, session: session)
        let conversations = try await session.column(
            """
            SELECT id FROM conversations c WHERE customer_id = \(customerId) AND identity = \(identity.description)
            ORDER BY started_at, \(SQL.storedOrder("c"))
            """, as: String.self)
        // The promises of those conversations, conversation by conversation, each one's soonest due first.
        var promises: [String] = []
        if !conversations.isEmpty {
            let byConversation = Dictionary(
                grouping: try await session.rows(
                    """
                    SELECT conversation_id, id FROM promises WHERE conversation_id IN \(in: conversations)
                    ORDER BY due, id\(SQL.bytewise)
                    """, as: (String, String).self), by: \.0)
            promises = conversations.flatMap { (byConversation[$0] ?? []).map(\.1) }
            try await session.execute("UPDATE conversations SET customer_id = \(created) WHERE id IN \(in: conversations)")
            try await session.execute(
                "UPDATE promises SET customer_id = \(created) WHERE conversation_id IN \(in: conversations)")
        }
        try await session.execute(
            """
            UPDATE identities SET customer_id = \(created)
            WHERE kind = \(identity.kind.rawValue) AND value = \(identity.value)
            """)
        return try await audit(
            CustomerChange.unmergeEntry(
                identity, from: customerId, created: created, conversations: conversations, promises: promises,
                actor: actor, now: now),
            session: session)
    }

    private static func audit(_ entry: CustomerAuditEntry, session: some SQLSession) async throws -> CustomerAuditEntry {
        let detail = try StoreJSON.encode(CustomerChange.Detail(entry))
        guard
            let id = try await session.value(
                """
                INSERT INTO customer_audit (customer_id, other_customer_id, action, actor, at, detail)
                VALUES (\(entry.customerId), \(entry.otherCustomerId), \(entry.action.rawValue), \(entry.actor),
                    \(entry.at), \(detail))
                RETURNING id
                """, as: Int64.self)
        else { throw StoreError.inconsistent("the audit entry of customer \(entry.customerId) returned no id") }
        var stored = entry
        stored.id = id
        return stored
    }

    /// Every merge and unmerge that involved the customer, oldest first.
    static func auditTrail(customerId: String, session: some SQLSession) async throws -> [CustomerAuditEntry] {
        try await session.rows(
            """
            SELECT id, customer_id, other_customer_id, action, actor, at, detail FROM customer_audit
            WHERE customer_id = \(customerId) OR other_customer_id = \(customerId) ORDER BY id
            """, as: (Int64, String, String, String, String, Date, Data).self
        ).map { id, customer, other, action, actor, at, detail in
            let detail = try StoreJSON.decode(CustomerChange.Detail.self, from: detail)
            return CustomerAuditEntry(
                id: id, customerId: customer, otherCustomerId: other,
                action: CustomerAuditEntry.Action(rawValue: action) ?? .merge, actor: actor, at: at,
                identities: detail.identities, conversations: detail.conversations, promises: detail.promises)
        }
    }
}
