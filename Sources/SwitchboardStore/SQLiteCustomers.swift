import Foundation
import GRDB
import SwitchboardCore

/// Customers and their identities.
enum SQLiteCustomers {
    /// The customer a message belongs to, by exact identity. Identities seen for the first time join
    /// that customer. When the identities point at different customers, the source's own user id
    /// wins, then the email, then the phone; customers are never merged here.
    static func resolve(_ message: InboundMessage, now: Date, db: Database) throws -> Customer {
        let identities = message.customer.identities(source: message.source)
        var owners: [Identity: String] = [:]
        for identity in identities {
            if let owner = try String.fetchOne(
                db.cachedStatement(sql: "SELECT customer_id FROM identities WHERE kind = ? AND value = ?"),
                arguments: [identity.kind.rawValue, identity.value])
            {
                owners[identity] = owner
            }
        }
        let precedence: [Identity.Kind] = [.sourceUser, .email, .phone]
        let chosen = precedence.lazy.compactMap { kind in
            identities.first { $0.kind == kind }.flatMap { owners[$0] }
        }.first
        let customerId: String
        if let chosen {
            customerId = chosen
            if let name = message.customer.name {
                try db.cachedStatement(
                    sql: "UPDATE customers SET name = ? WHERE id = ? AND name IS NULL"
                ).execute(arguments: [name, customerId])
            }
        } else {
            customerId = "cus_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try db.cachedStatement(
                sql: "INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)"
            ).execute(arguments: [customerId, message.customer.name, now.timeIntervalSince1970])
        }
        for identity in identities where owners[identity] == nil {
            try db.cachedStatement(
                sql: "INSERT INTO identities (kind, value, customer_id) VALUES (?, ?, ?)"
            ).execute(arguments: [identity.kind.rawValue, identity.value, customerId])
        }
        guard let customer = try fetch(id: customerId, db: db) else {
            throw DatabaseError(message: "customer \(customerId) vanished inside its own transaction")
        }
        return customer
    }

    static func fetch(id: String, db: Database) throws -> Customer? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, name FROM customers WHERE id = ?"), arguments: [id])
        else {
            return nil
        }
        let identities = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT kind, value FROM identities WHERE customer_id = ? ORDER BY kind, value"),
            arguments: [id]
        ).compactMap { row in
            Identity.Kind(rawValue: row["kind"]).map { Identity(kind: $0, value: row["value"]) }
        }
        return Customer(id: row["id"], name: row["name"], identities: identities)
    }
}
