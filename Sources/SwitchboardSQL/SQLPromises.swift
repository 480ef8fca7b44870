import Foundation
import SwitchboardCore
import SwitchboardStore

/// Promises agents make on resolve, and their follow-ups, inside the caller's transaction.
package enum SQLPromises {
    static let columns: SQL = "id, customer_id, conversation_id, agent_id, what, due, made_at, status, follow_up_conversation_id"

    static func insert(
        _ request: PromiseRequest, conversationId: String, agentId: String, now: Date, session: some SQLSession
    ) async throws -> Promise {
        guard
            let customerId = try await session.value(
                "SELECT customer_id FROM conversations WHERE id = \(conversationId)", as: String.self)
        else { throw StoreError.inconsistent("no conversation \(conversationId) to record a promise on") }
        let promise = Promise(
            id: RoutingEngine.randomId("pr_"), customerId: customerId, conversationId: conversationId, agentId: agentId,
            what: request.what, due: request.due, madeAt: now)
        try await session.execute(
            """
            INSERT INTO promises (id, customer_id, conversation_id, agent_id, what, due, made_at, status)
            VALUES (\(promise.id), \(customerId), \(conversationId), \(agentId), \(promise.what), \(promise.due), \(now),
                \(unescaped: Promise.Status.open.sql))
            """)
        return promise
    }

    /// The customer's promises not yet kept, soonest due first.
    static func unkept(customerId: String, session: some SQLSession) async throws -> [Promise] {
        try await fetch(
            "customer_id = \(customerId) AND status != \(unescaped: Promise.Status.kept.sql) ORDER BY due, id\(SQL.bytewise)",
            session: session)
    }

    /// The promises made in a conversation and not kept yet, soonest due first.
    static func unkept(conversationId: String, session: some SQLSession) async throws -> [Promise] {
        try await fetch(
            "conversation_id = \(conversationId) AND status != \(unescaped: Promise.Status.kept.sql) ORDER BY due, id\(SQL.bytewise)",
            session: session)
    }

    /// Open promises due by `now`, soonest first.
    static func due(now: Date, limit: Int, session: some SQLSession) async throws -> [Promise] {
        try await fetch(
            """
            status = \(unescaped: Promise.Status.open.sql) AND due <= \(now) ORDER BY due, id\(SQL.bytewise) LIMIT \(limit)
            """, session: session)
    }

    /// The promise a follow-up conversation was routed for.
    static func followedUp(by conversationId: String, session: some SQLSession) async throws -> Promise? {
        try await fetch("follow_up_conversation_id = \(conversationId)", session: session).first
    }

    static func markDue(_ promiseId: String, followUp conversationId: String, session: some SQLSession) async throws {
        try await session.execute(
            """
            UPDATE promises SET status = \(unescaped: Promise.Status.due.sql), follow_up_conversation_id = \(conversationId)
            WHERE id = \(promiseId)
            """)
    }

    /// Resolving a follow-up keeps its promise.
    static func keep(followUp conversationId: String, now: Date, session: some SQLSession) async throws {
        try await session.execute(
            """
            UPDATE promises SET status = \(unescaped: Promise.Status.kept.sql), kept_at = \(now)
            WHERE follow_up_conversation_id = \(conversationId) AND status != \(unescaped: Promise.Status.kept.sql)
            """)
    }

    /// Promises past due and not kept.
    static func overdue(now: Date, session: some SQLSession) async throws -> Int {
        try await session.value(
            "SELECT COUNT(*) FROM promises WHERE status != \(unescaped: Promise.Status.kept.sql) AND due < \(now)",
            as: Int.self) ?? 0
    }

    /// When the next open promise falls due.
    static func nextDue(session: some SQLSession) async throws -> Date? {
        try await session.value(
            "SELECT MIN(due) FROM promises WHERE status = \(unescaped: Promise.Status.open.sql)", as: Date?.self) ?? nil
    }

    /// Promises a condition (and order) selects.
    private static func fetch(_ condition: SQL, session: some SQLSession) async throws -> [Promise] {
        try await session.rows(
            "SELECT \(columns) FROM promises WHERE \(condition)",
            as: (String, String, String, String, String, Date, Date, String, String?).self
        ).map { id, customerId, conversationId, agentId, what, due, madeAt, status, followUp in
            Promise(
                id: id, customerId: customerId, conversationId: conversationId, agentId: agentId, what: what, due: due,
                madeAt: madeAt, status: Promise.Status(rawValue: status) ?? .open, followUpConversationId: followUp)
        }
    }
}
