import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Customers and their identities.
enum SQLiteCustomers {
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
    static func resolve(_ message: InboundMessage, now: Date, db: Database) throws -> (Customer, via: Identity?) {
        let identities = message.customer.identities(source: message.source)
        var owners: [Identity: String] = [:]
        for identity in identities {
            if let owner = try owner(of: identity, db: db) { owners[identity] = owner }
        }
        var chosen = precedence.lazy.compactMap { kind in
            identities.first { $0.kind == kind }.flatMap { owners[$0] }
        }.first
        if let user = identities.first(where: { $0.kind == .sourceUser }), owners[user] == nil, let candidate = chosen,
            let source = user.source, try hasUser(candidate, from: source, db: db)
        {
            chosen = nil
        }
        let customerId: String
        if let chosen {
            customerId = chosen
            if let name = message.customer.name {
                try db.cachedStatement(
                    sql: "UPDATE customers SET name = ? WHERE id = ? AND name IS NULL"
                ).execute(arguments: [name, customerId])
            }
        } else {
            customerId = try create(name: message.customer.name, now: now, db: db)
        }
        for identity in identities where owners[identity] == nil {
            try db.cachedStatement(
                sql: "INSERT INTO identities (kind, value, customer_id) VALUES (?, ?, ?)"
            ).execute(arguments: [identity.kind.rawValue, identity.value, customerId])
        }
        guard let customer = try fetch(id: customerId, db: db) else {
            throw StoreError.inconsistent("customer \(customerId) vanished inside its own transaction")
        }
        let via = precedence.lazy.compactMap { kind in identities.first { $0.kind == kind } }.first
        return (customer, via)
    }

    static let ownerSQL = "SELECT customer_id FROM identities WHERE kind = ? AND value = ?"

    /// The customer holding an identity.
    static func owner(of identity: Identity, db: Database) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: ownerSQL),
            arguments: [identity.kind.rawValue, identity.value])
    }

    /// Whether the customer already has a user id from `source`.
    private static func hasUser(_ customerId: String, from source: String, db: Database) throws -> Bool {
        let prefix = source + ":"
        return try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT EXISTS (SELECT 1 FROM identities WHERE customer_id = ? AND kind = 'source_user'
                        AND substr(value, 1, ?) = ?)
                    """),
            arguments: [customerId, prefix.utf8.count, prefix]) ?? false
    }

    private static func create(name: String?, now: Date, db: Database) throws -> String {
        let id = "cus_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try db.cachedStatement(
            sql: "INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)"
        ).execute(arguments: [id, name, now.timeIntervalSince1970])
        return id
    }

    static let customerSQL = "SELECT id, name FROM customers WHERE id = ?"
    static let identitiesSQL = "SELECT kind, value FROM identities WHERE customer_id = ? ORDER BY kind, value"

    static func fetch(id: String, db: Database) throws -> Customer? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: customerSQL), arguments: [id])
        else {
            return nil
        }
        let identities = try Array(
            Row.fetchCursor(db.cachedStatement(sql: identitiesSQL), arguments: [id]).compactMap { row in
                Identity.Kind(rawValue: row["kind"]).map { Identity(kind: $0, value: row["value"]) }
            })
        return Customer(id: row["id"], name: row["name"], identities: identities)
    }

    /// The customer with their conversations and promises not yet kept; throws when unknown or merged away.
    static func record(id: String, db: Database) throws -> CustomerRecord {
        let customer = try live(id, db: db)
        let conversations = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, source, channel, status, started_at, agent_id, outcome, identity FROM conversations
                    WHERE customer_id = ? ORDER BY started_at DESC, rowid DESC
                    """),
            arguments: [id]
        ).map { row in
            CustomerRecord.ConversationRef(
                id: row["id"], source: row["source"], channel: row["channel"],
                status: ConversationStatus(rawValue: row["status"]) ?? .waiting,
                startedAt: Date(timeIntervalSince1970: row["started_at"]), agentId: row["agent_id"],
                outcome: row["outcome"], identity: row["identity"])
        }
        return CustomerRecord(
            id: customer.id, name: customer.name, identities: customer.identities, conversations: conversations,
            promises: try SQLitePromises.unkept(customerId: id, db: db))
    }

    /// A customer that exists and was not merged into another.
    private static func live(_ id: String, db: Database) throws -> Customer {
        if let into = try String.fetchOne(
            db.cachedStatement(sql: "SELECT merged_into FROM customers WHERE id = ? AND merged_into IS NOT NULL"),
            arguments: [id])
        {
            throw StoreError.mergedAway(id, into: into)
        }
        guard let customer = try fetch(id: id, db: db) else { throw StoreError.unknownCustomer(id) }
        return customer
    }

    /// Moves everything of `from` (identities, conversations, promises) to `into`, and records who did it.
    static func merge(into: String, from: String, actor: String, now: Date, db: Database) throws -> CustomerAuditEntry {
        guard into != from else { throw StoreError.sameCustomer(into) }
        let kept = try live(into, db: db)
        let absorbed = try live(from, db: db)
        let conversations = try String.fetchAll(
            db, sql: "SELECT id FROM conversations WHERE customer_id = ? ORDER BY started_at", arguments: [from])
        let promises = try String.fetchAll(
            db, sql: "SELECT id FROM promises WHERE customer_id = ? ORDER BY due", arguments: [from])
        try db.execute(sql: "UPDATE identities SET customer_id = ? WHERE customer_id = ?", arguments: [into, from])
        try db.execute(sql: "UPDATE conversations SET customer_id = ? WHERE customer_id = ?", arguments: [into, from])
        try db.execute(sql: "UPDATE promises SET customer_id = ? WHERE customer_id = ?", arguments: [into, from])
        try db.execute(sql: "UPDATE customers SET merged_into = ? WHERE id = ?", arguments: [into, from])
        if kept.name == nil, let name = absorbed.name {
            try db.execute(sql: "UPDATE customers SET name = ? WHERE id = ?", arguments: [name, into])
        }
        return try audit(
            CustomerAuditEntry(
                id: 0, customerId: into, otherCustomerId: from, action: .merge, actor: actor, at: now,
                identities: absorbed.identities.map(\.description), conversations: conversations, promises: promises),
            db: db)
    }

    /// Splits one identity off into a new customer, with the conversations recognised by it and their
    /// promises. Returns the audit entry; its `otherCustomerId` is the new customer.
    static func unmerge(
        _ identity: Identity, from customerId: String, actor: String, now: Date, db: Database
    ) throws -> CustomerAuditEntry {
        let customer = try live(customerId, db: db)
        guard customer.identities.contains(identity) else {
            throw StoreError.identityNotHeld(identity.description, customer: customerId)
        }
        guard customer.identities.count > 1 else { throw StoreError.onlyIdentity(identity.description) }
        let created = try create(name: nil, now: now, db: db)
        let conversations = try String.fetchAll(
            db, sql: "SELECT id FROM conversations WHERE customer_id = ? AND identity = ? ORDER BY started_at",
            arguments: [customerId, identity.description])
        var promises: [String] = []
        for conversation in conversations {
            promises += try String.fetchAll(
                db, sql: "SELECT id FROM promises WHERE conversation_id = ? ORDER BY due", arguments: [conversation])
            try db.execute(sql: "UPDATE conversations SET customer_id = ? WHERE id = ?", arguments: [created, conversation])
            try db.execute(sql: "UPDATE promises SET customer_id = ? WHERE conversation_id = ?", arguments: [created, conversation])
        }
        try db.execute(
            sql: "UPDATE identities SET customer_id = ? WHERE kind = ? AND value = ?",
            arguments: [created, identity.kind.rawValue, identity.value])
        return try audit(
            CustomerAuditEntry(
                id: 0, customerId: customerId, otherCustomerId: created, action: .unmerge, actor: actor, at: now,
                identities: [identity.description], conversations: conversations, promises: promises),
            db: db)
    }

    private struct AuditDetail: Codable {
        var identities: [String]
        var conversations: [String]
        var promises: [String]
    }

    private static func audit(_ entry: CustomerAuditEntry, db: Database) throws -> CustomerAuditEntry {
        let detail = AuditDetail(identities: entry.identities, conversations: entry.conversations, promises: entry.promises)
        try db.execute(
            sql: """
                INSERT INTO customer_audit (customer_id, other_customer_id, action, actor, at, detail)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.customerId, entry.otherCustomerId, entry.action.rawValue, entry.actor, entry.at.timeIntervalSince1970,
                try StoreJSON.encode(detail),
            ])
        var stored = entry
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// Every merge and unmerge that involved the customer, oldest first.
    static func auditTrail(customerId: String, db: Database) throws -> [CustomerAuditEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, customer_id, other_customer_id, action, actor, at, detail FROM customer_audit
                WHERE customer_id = ? OR other_customer_id = ? ORDER BY id
                """,
            arguments: [customerId, customerId]
        ).map { row in
            let detail = try StoreJSON.decode(AuditDetail.self, from: row["detail"])
            return CustomerAuditEntry(
                id: row["id"], customerId: row["customer_id"], otherCustomerId: row["other_customer_id"],
                action: CustomerAuditEntry.Action(rawValue: row["action"]) ?? .merge, actor: row["actor"],
                at: Date(timeIntervalSince1970: row["at"]), identities: detail.identities,
                conversations: detail.conversations, promises: detail.promises)
        }
    }
}
