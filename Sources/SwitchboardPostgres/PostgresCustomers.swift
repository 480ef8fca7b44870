import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Customers and their identities.
enum PostgresCustomers {
    /// The identity kinds in the order they decide a customer: the source's own user id, then the
    /// email, then the phone.
    static let precedence: [Identity.Kind] = [.sourceUser, .email, .phone]

    /// The customer a message belongs to, by exact identity, and the identity that decided it.
    ///
    /// Identities seen for the first time join that customer, so a chat that gives both a user id and
    /// an email links the two. When the identities point at different customers, the source's user id
    /// wins, then the email, then the phone; customers are never merged here. A new user id from a
    /// source never joins a customer who already has another user id from that same source: they are
    /// two people sharing an email (a team inbox, say), so it starts a customer of its own.
    static func resolve(
        _ message: InboundMessage, now: Date, session: PostgresSession
    ) async throws -> (Customer, via: Identity?) {
        let identities = message.customer.identities(source: message.source)
        let owners = try await owners(of: identities, session: session)
        var chosen = precedence.lazy.compactMap { kind in
            identities.first { $0.kind == kind }.flatMap { owners[$0] }
        }.first
        if let user = identities.first(where: { $0.kind == .sourceUser }), owners[user] == nil, let candidate = chosen,
            let source = user.source, try await hasUser(candidate, from: source, session: session)
        {
            chosen = nil
        }
        let customerId: String
        if let chosen {
            customerId = chosen
            if let name = message.customer.name {
                try await session.execute(
                    "UPDATE customers SET name = \(name) WHERE id = \(customerId) AND name IS NULL")
            }
        } else {
            customerId = try await create(name: message.customer.name, now: now, session: session)
        }
        let new = identities.filter { owners[$0] == nil }
        if !new.isEmpty {
            try await session.execute(
                """
                INSERT INTO identities (kind, value, customer_id)
                SELECT kind, value, \(customerId) FROM UNNEST(\(new.map(\.kind.rawValue))::TEXT[], \(new.map(\.value))::TEXT[])
                    AS new (kind, value)
                """)
        }
        guard let customer = try await fetch(id: customerId, session: session) else {
            throw StoreError.inconsistent("customer \(customerId) vanished inside its own transaction")
        }
        let via = precedence.lazy.compactMap { kind in identities.first { $0.kind == kind } }.first
        return (customer, via)
    }

    /// The customer holding an identity.
    static func owner(of identity: Identity, session: PostgresSession) async throws -> String? {
        try await session.value(
            "SELECT customer_id FROM identities WHERE kind = \(identity.kind.rawValue) AND value = \(identity.value)",
            as: String.self)
    }

    /// The customers holding any of `identities`, in one query.
    private static func owners(of identities: [Identity], session: PostgresSession) async throws -> [Identity: String] {
        guard !identities.isEmpty else { return [:] }
        var owners: [Identity: String] = [:]
        for (kind, value, customerId) in try await session.rows(
            """
            SELECT i.kind, i.value, i.customer_id
            FROM UNNEST(\(identities.map(\.kind.rawValue))::TEXT[], \(identities.map(\.value))::TEXT[]) AS wanted (kind, value)
            JOIN identities i ON i.kind = wanted.kind AND i.value = wanted.value
            """, as: (String, String, String).self)
        {
            if let kind = Identity.Kind(rawValue: kind) { owners[Identity(kind: kind, value: value)] = customerId }
        }
        return owners
    }

    /// Whether the customer already has a user id from `source`.
    private static func hasUser(_ customerId: String, from source: String, session: PostgresSession) async throws -> Bool {
        try await session.value(
            """
            SELECT EXISTS (SELECT 1 FROM identities WHERE customer_id = \(customerId) AND kind = 'source_user'
                AND starts_with(value, \(source + ":")))
            """, as: Bool.self) ?? false
    }

    private static func create(name: String?, now: Date, session: PostgresSession) async throws -> String {
        let id = "cus_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await session.execute(
            "INSERT INTO customers (id, name, created_at) VALUES (\(id), \(name), \(now.timeIntervalSince1970))")
        return id
    }

    /// The customer with their identities, in byte order of kind and value as SQLite sorts them: one query.
    static func fetch(id: String, session: PostgresSession) async throws -> Customer? {
        guard
            let (id, name, kinds, values) = try await session.row(
                """
                SELECT c.id, c.name,
                    ARRAY(SELECT kind FROM identities WHERE customer_id = c.id ORDER BY kind COLLATE "C", value COLLATE "C"),
                    ARRAY(SELECT value FROM identities WHERE customer_id = c.id ORDER BY kind COLLATE "C", value COLLATE "C")
                FROM customers c WHERE c.id = \(id)
                """, as: (String, String?, [String], [String]).self)
        else { return nil }
        let identities = zip(kinds, values).compactMap { kind, value in
            Identity.Kind(rawValue: kind).map { Identity(kind: $0, value: value) }
        }
        return Customer(id: id, name: name, identities: identities)
    }

    /// The customer with their conversations and promises not yet kept; throws when unknown or merged away.
    static func record(id: String, session: PostgresSession) async throws -> CustomerRecord {
        let customer = try await live(id, session: session)
        let conversations = try await session.rows(
            """
            SELECT id, source, channel, status, started_at, agent_id, outcome, identity FROM conversations
            WHERE customer_id = \(id) ORDER BY started_at DESC, position DESC
            """, as: (String, String, String, String, Double, String?, String?, String?).self
        ).map { id, source, channel, status, startedAt, agentId, outcome, identity in
            CustomerRecord.ConversationRef(
                id: id, source: source, channel: channel, status: ConversationStatus(rawValue: status) ?? .waiting,
                startedAt: Date(timeIntervalSince1970: startedAt), agentId: agentId, outcome: outcome, identity: identity)
        }
        return CustomerRecord(
            id: customer.id, name: customer.name, identities: customer.identities, conversations: conversations,
            promises: try await PostgresPromises.unkept(customerId: id, session: session))
    }

    /// A customer that exists and was not merged into another.
    private static func live(_ id: String, session: PostgresSession) async throws -> Customer {
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
        into: String, from: String, actor: String, now: Date, session: PostgresSession
    ) async throws -> CustomerAuditEntry {
        guard into != from else { throw StoreError.sameCustomer(into) }
        let kept = try await live(into, session: session)
        let absorbed = try await live(from, session: session)
        let conversations = try await session.column(
            "SELECT id FROM conversations WHERE customer_id = \(from) ORDER BY started_at, position", as: String.self)
        let promises = try await session.column(
            "SELECT id FROM promises WHERE customer_id = \(from) ORDER BY due, id COLLATE \"C\"", as: String.self)
        try await session.execute("UPDATE identities SET customer_id = \(into) WHERE customer_id = \(from)")
        try await session.execute("UPDATE conversations SET customer_id = \(into) WHERE customer_id = \(from)")
        try await session.execute("UPDATE promises SET customer_id = \(into) WHERE customer_id = \(from)")
        try await session.execute("UPDATE customers SET merged_into = \(into) WHERE id = \(from)")
        if kept.name == nil, let name = absorbed.name {
            try await session.execute("UPDATE customers SET name = \(name) WHERE id = \(into)")
        }
        return try await audit(
            CustomerAuditEntry(
                id: 0, customerId: into, otherCustomerId: from, action: .merge, actor: actor, at: now,
                identities: absorbed.identities.map(\.description), conversations: conversations, promises: promises),
            session: session)
    }

    /// Splits one identity off into a new customer, with the conversations recognised by it and their
    /// promises. Returns the audit entry; its `otherCustomerId` is the new customer.
    static func unmerge(
        _ identity: Identity, from customerId: String, actor: String, now: Date, session: PostgresSession
    ) async throws -> CustomerAuditEntry {
        let customer = try await live(customerId, session: session)
        guard customer.identities.contains(identity) else {
            throw StoreError.identityNotHeld(identity.description, customer: customerId)
        }
        guard customer.identities.count > 1 else { throw StoreError.onlyIdentity(identity.description) }
        let created = try await create(name: nil, now: now, session: session)
        let conversations = try await session.column(
            """
            SELECT id FROM conversations WHERE customer_id = \(customerId) AND identity = \(identity.description)
            ORDER BY started_at, position
            """, as: String.self)
        // The promises of those conversations, conversation by conversation, each one's soonest due first.
        let promises = try await session.column(
            """
            SELECT p.id FROM UNNEST(\(conversations)::TEXT[]) WITH ORDINALITY AS moved (id, n)
            JOIN promises p ON p.conversation_id = moved.id
            ORDER BY moved.n, p.due, p.id COLLATE "C"
            """, as: String.self)
        try await session.execute("UPDATE conversations SET customer_id = \(created) WHERE id = ANY(\(conversations))")
        try await session.execute(
            "UPDATE promises SET customer_id = \(created) WHERE conversation_id = ANY(\(conversations))")
        try await session.execute(
            """
            UPDATE identities SET customer_id = \(created)
            WHERE kind = \(identity.kind.rawValue) AND value = \(identity.value)
            """)
        return try await audit(
            CustomerAuditEntry(
                id: 0, customerId: customerId, otherCustomerId: created, action: .unmerge, actor: actor, at: now,
                identities: [identity.description], conversations: conversations, promises: promises),
            session: session)
    }

    private struct AuditDetail: Codable {
        var identities: [String]
        var conversations: [String]
        var promises: [String]
    }

    private static func audit(_ entry: CustomerAuditEntry, session: PostgresSession) async throws -> CustomerAuditEntry {
        let detail = try StoreJSON.encode(
            AuditDetail(identities: entry.identities, conversations: entry.conversations, promises: entry.promises))
        guard
            let id = try await session.value(
                """
                INSERT INTO customer_audit (customer_id, other_customer_id, action, actor, at, detail)
                VALUES (\(entry.customerId), \(entry.otherCustomerId), \(entry.action.rawValue), \(entry.actor),
                    \(entry.at.timeIntervalSince1970), \(detail))
                RETURNING id
                """, as: Int64.self)
        else { throw StoreError.inconsistent("the audit entry of customer \(entry.customerId) returned no id") }
        var stored = entry
        stored.id = id
        return stored
    }

    /// Every merge and unmerge that involved the customer, oldest first.
    static func auditTrail(customerId: String, session: PostgresSession) async throws -> [CustomerAuditEntry] {
        try await session.rows(
            """
            SELECT id, customer_id, other_customer_id, action, actor, at, detail FROM customer_audit
            WHERE customer_id = \(customerId) OR other_customer_id = \(customerId) ORDER BY id
            """, as: (Int64, String, String, String, String, Double, Data).self
        ).map { id, customer, other, action, actor, at, detail in
            let detail = try StoreJSON.decode(AuditDetail.self, from: detail)
            return CustomerAuditEntry(
                id: id, customerId: customer, otherCustomerId: other,
                action: CustomerAuditEntry.Action(rawValue: action) ?? .merge, actor: actor,
                at: Date(timeIntervalSince1970: at), identities: detail.identities, conversations: detail.conversations,
                promises: detail.promises)
        }
    }
}
