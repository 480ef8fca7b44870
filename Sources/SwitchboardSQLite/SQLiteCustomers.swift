import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Customers and their identities.
enum SQLiteCustomers {
    /// The customer a message belongs to, by exact identity, the identity that decided it (``CustomerMatch``),
    /// and whether the message created the customer.
    static func resolve(_ message: InboundMessage, now: Date, db: Database) throws
        -> (Customer, via: Identity?, created: Bool)
    {
        var owners: [Identity: String] = [:]
        for identity in CustomerMatch.identities(of: message) {
            if let owner = try owner(of: identity, db: db) { owners[identity] = owner }
        }
        let match = CustomerMatch(message, owners: owners)
        let hasOtherUser = try match.userCheck.map { try hasUser($0.customerId, from: $0.source, db: db) } ?? false
        let customerId: String
        let chosen = match.customerId(candidateHasOtherUser: hasOtherUser)
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
        for identity in match.newIdentities {
            try db.cachedStatement(
                sql: "INSERT INTO identities (kind, value, customer_id) VALUES (?, ?, ?)"
            ).execute(arguments: [identity.kind.rawValue, identity.value, customerId])
        }
        if chosen == nil {
            return (match.createdCustomer(id: customerId, name: message.customer.name), match.via, true)
        }
        guard let customer = try fetch(id: customerId, db: db) else {
            throw StoreError.inconsistent("customer \(customerId) vanished inside its own transaction")
        }
        return (customer, match.via, false)
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
        let id = CustomerChange.newCustomerId()
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
        try CustomerChange.checkMerge(into: into, from: from)
        let kept = try live(into, db: db)
        let absorbed = try live(from, db: db)
        let conversations = try String.fetchAll(
            db, sql: "SELECT id FROM conversations WHERE customer_id = ? ORDER BY started_at, rowid", arguments: [from])
        let promises = try String.fetchAll(
            db, sql: "SELECT id FROM promises WHERE customer_id = ? ORDER BY due, id", arguments: [from])
        try db.execute(sql: "UPDATE identities SET customer_id = ? WHERE customer_id = ?", arguments: [into, from])
        try db.execute(sql: "UPDATE conversations SET customer_id = ? WHERE customer_id = ?", arguments: [into, from])
        try db.execute(sql: "UPDATE promises SET customer_id = ? WHERE customer_id = ?", arguments: [into, from])
        try db.execute(sql: "UPDATE customers SET merged_into = ? WHERE id = ?", arguments: [into, from])
        if let name = CustomerChange.nameAfterMerge(kept: kept, absorbed: absorbed) {
            try db.execute(sql: "UPDATE customers SET name = ? WHERE id = ?", arguments: [name, into])
        }
        return try audit(
            CustomerChange.mergeEntry(
                into: into, absorbed: absorbed, conversations: conversations, promises: promises, actor: actor, now: now),
            db: db)
    }

    /// Splits one identity off into a new customer, with the conversations recognised by it and their
    /// promises. Returns the audit entry; its `otherCustomerId` is the new customer.
    static func unmerge(
        _ identity: Identity, from customerId: String, actor: String, now: Date, db: Database
    ) throws -> CustomerAuditEntry {
        let customer = try live(customerId, db: db)
        try CustomerChange.checkUnmerge(identity, from: customer)
        let created = try create(name: nil, now: now, db: db)
        let conversations = try String.fetchAll(
            db, sql: "SELECT id FROM conversations WHERE customer_id = ? AND identity = ? ORDER BY started_at, rowid",
            arguments: [customerId, identity.description])
        var promises: [String] = []
        for conversation in conversations {
            promises += try String.fetchAll(
                db, sql: "SELECT id FROM promises WHERE conversation_id = ? ORDER BY due, id", arguments: [conversation])
            try db.execute(sql: "UPDATE conversations SET customer_id = ? WHERE id = ?", arguments: [created, conversation])
            try db.execute(sql: "UPDATE promises SET customer_id = ? WHERE conversation_id = ?", arguments: [created, conversation])
        }
        try db.execute(
            sql: "UPDATE identities SET customer_id = ? WHERE kind = ? AND value = ?",
            arguments: [created, identity.kind.rawValue, identity.value])
        return try audit(
            CustomerChange.unmergeEntry(
                identity, from: customerId, created: created, conversations: conversations, promises: promises,
                actor: actor, now: now),
            db: db)
    }

    private static func audit(_ entry: CustomerAuditEntry, db: Database) throws -> CustomerAuditEntry {
        let detail = CustomerChange.Detail(entry)
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
            let detail = try StoreJSON.decode(CustomerChange.Detail.self, from: row["detail"])
            return CustomerAuditEntry(
                id: row["id"], customerId: row["customer_id"], otherCustomerId: row["other_customer_id"],
                action: CustomerAuditEntry.Action(rawValue: row["action"]) ?? .merge, actor: row["actor"],
                at: Date(timeIntervalSince1970: row["at"]), identities: detail.identities,
                conversations: detail.conversations, promises: detail.promises)
        }
    }
}
