import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Promises agents make on resolve, and their follow-ups.
enum SQLitePromises {
    static let columns = """
        id, customer_id, conversation_id, agent_id, what, due, made_at, status, follow_up_conversation_id
        """

    static func insert(
        _ request: PromiseRequest, conversationId: String, agentId: String, now: Date, db: Database
    ) throws -> Promise {
        guard
            let customerId = try String.fetchOne(
                db.cachedStatement(sql: "SELECT customer_id FROM conversations WHERE id = ?"), arguments: [conversationId])
        else { throw StoreError.inconsistent("no conversation \(conversationId) to record a promise on") }
        let promise = Promise(
            id: RoutingEngine.randomId("pr_"), customerId: customerId, conversationId: conversationId, agentId: agentId,
            what: request.what, due: request.due, madeAt: now)
        try db.cachedStatement(
            sql: """
                INSERT INTO promises (id, customer_id, conversation_id, agent_id, what, due, made_at, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, \(Promise.Status.open.sql))
                """
        ).execute(arguments: [
            promise.id, customerId, conversationId, agentId, promise.what, promise.due.timeIntervalSince1970,
            now.timeIntervalSince1970,
        ])
        return promise
    }

    static let unkeptCondition = "customer_id = ? AND status != \(Promise.Status.kept.sql) ORDER BY due, id"
    static let followedUpCondition = "follow_up_conversation_id = ?"

    /// The customer's promises not yet kept, soonest due first.
    static func unkept(customerId: String, db: Database) throws -> [Promise] {
        try fetch(db, where: unkeptCondition, arguments: [customerId])
    }

    /// The promises made in a conversation and not kept yet, soonest due first.
    static func unkept(conversationId: String, db: Database) throws -> [Promise] {
        try fetch(db, where: "conversation_id = ? AND status != \(Promise.Status.kept.sql) ORDER BY due, id", arguments: [conversationId])
    }

    /// Open promises due by `now`, soonest first.
    static func due(now: Date, limit: Int, db: Database) throws -> [Promise] {
        try fetch(db, where: "status = \(Promise.Status.open.sql) AND due <= ? ORDER BY due, id LIMIT ?", arguments: [now.timeIntervalSince1970, limit])
    }

    /// The promise a follow-up conversation was routed for.
    static func followedUp(by conversationId: String, db: Database) throws -> Promise? {
        try fetch(db, where: followedUpCondition, arguments: [conversationId]).first
    }

    static func markDue(_ promiseId: String, followUp conversationId: String, db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE promises SET status = \(Promise.Status.due.sql), follow_up_conversation_id = ? WHERE id = ?"
        ).execute(arguments: [conversationId, promiseId])
    }

    /// Resolving a follow-up keeps its promise.
    static func keep(followUp conversationId: String, now: Date, db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE promises SET status = \(Promise.Status.kept.sql), kept_at = ? WHERE follow_up_conversation_id = ? AND status != \(Promise.Status.kept.sql)"
        ).execute(arguments: [now.timeIntervalSince1970, conversationId])
    }

    /// Promises past due and not kept.
    static func overdue(now: Date, db: Database) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM promises WHERE status != \(Promise.Status.kept.sql) AND due < ?"),
            arguments: [now.timeIntervalSince1970]) ?? 0
    }

    /// When the next open promise falls due.
    static func nextDue(db: Database) throws -> Date? {
        try Double.fetchOne(db.cachedStatement(sql: "SELECT MIN(due) FROM promises WHERE status = \(Promise.Status.open.sql)"))
            .map(Date.init(timeIntervalSince1970:))
    }

    private static func fetch(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [Promise] {
        try Array(
            Row.fetchCursor(
                db.cachedStatement(sql: "SELECT \(columns) FROM promises WHERE \(condition)"), arguments: arguments
            ).map { row in
                Promise(
                    id: row["id"], customerId: row["customer_id"], conversationId: row["conversation_id"],
                    agentId: row["agent_id"], what: row["what"], due: Date(timeIntervalSince1970: row["due"]),
                    madeAt: Date(timeIntervalSince1970: row["made_at"]),
                    status: Promise.Status(rawValue: row["status"]) ?? .open,
                    followUpConversationId: row["follow_up_conversation_id"])
            })
    }
}
