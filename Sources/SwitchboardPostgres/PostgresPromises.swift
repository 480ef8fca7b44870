import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Promises agents make on resolve, and their follow-ups.
enum PostgresPromises {
    static let columns = """
        id, customer_id, conversation_id, agent_id, what, due, made_at, status, follow_up_conversation_id
        """

    static func insert(
        _ request: PromiseRequest, conversationId: String, agentId: String, now: Date, session: PostgresSession
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
            VALUES (\(promise.id), \(customerId), \(conversationId), \(agentId), \(promise.what),
                \(promise.due.timeIntervalSince1970), \(now.timeIntervalSince1970), \(unescaped: Promise.Status.open.sql))
            """)
        return promise
    }

    /// The customer's promises not yet kept, soonest due first.
    static func unkept(customerId: String, session: PostgresSession) async throws -> [Promise] {
        try await fetch(
            session,
            """
            SELECT \(unescaped: columns) FROM promises WHERE customer_id = \(customerId) AND status != \(unescaped: Promise.Status.kept.sql)
            ORDER BY due, id COLLATE "C"
            """)
    }

    /// The promises made in a conversation and not kept yet, soonest due first.
    static func unkept(conversationId: String, session: PostgresSession) async throws -> [Promise] {
        try await fetch(
            session,
            """
            SELECT \(unescaped: columns) FROM promises WHERE conversation_id = \(conversationId) AND status != \(unescaped: Promise.Status.kept.sql)
            ORDER BY due, id COLLATE "C"
            """)
    }

    /// Open promises due by `now`, soonest first.
    static func due(now: Date, limit: Int, session: PostgresSession) async throws -> [Promise] {
        try await fetch(
            session,
            """
            SELECT \(unescaped: columns) FROM promises WHERE status = \(unescaped: Promise.Status.open.sql) AND due <= \(now.timeIntervalSince1970)
            ORDER BY due, id COLLATE "C" LIMIT \(limit)
            """)
    }

    /// The promise a follow-up conversation was routed for.
    static func followedUp(by conversationId: String, session: PostgresSession) async throws -> Promise? {
        try await fetch(
            session, "SELECT \(unescaped: columns) FROM promises WHERE follow_up_conversation_id = \(conversationId)"
        ).first
    }

    static func markDue(_ promiseId: String, followUp conversationId: String, session: PostgresSession) async throws {
        try await session.execute(
            "UPDATE promises SET status = \(unescaped: Promise.Status.due.sql), follow_up_conversation_id = \(conversationId) WHERE id = \(promiseId)")
    }

    /// Resolving a follow-up keeps its promise.
    static func keep(followUp conversationId: String, now: Date, session: PostgresSession) async throws {
        try await session.execute(
            """
            UPDATE promises SET status = \(unescaped: Promise.Status.kept.sql), kept_at = \(now.timeIntervalSince1970)
            WHERE follow_up_conversation_id = \(conversationId) AND status != \(unescaped: Promise.Status.kept.sql)
            """)
    }

    /// Promises past due and not kept.
    static func overdue(now: Date, session: PostgresSession) async throws -> Int {
        try await session.value(
            "SELECT COUNT(*) FROM promises WHERE status != \(unescaped: Promise.Status.kept.sql) AND due < \(now.timeIntervalSince1970)", as: Int.self)
            ?? 0
    }

    /// When the next open promise falls due.
    static func nextDue(session: PostgresSession) async throws -> Date? {
        try await session.value("SELECT MIN(due) FROM promises WHERE status = \(unescaped: Promise.Status.open.sql)", as: Double?.self)?
            .map(Date.init(timeIntervalSince1970:))
    }

    /// Promises a query selects (its columns: ``columns``).
    private static func fetch(_ session: PostgresSession, _ query: PostgresQuery) async throws -> [Promise] {
        try await session.rows(
            query, as: (String, String, String, String, String, Double, Double, String, String?).self
        ).map { id, customerId, conversationId, agentId, what, due, madeAt, status, followUp in
            Promise(
                id: id, customerId: customerId, conversationId: conversationId, agentId: agentId, what: what,
                due: Date(timeIntervalSince1970: due), madeAt: Date(timeIntervalSince1970: madeAt),
                status: Promise.Status(rawValue: status) ?? .open, followUpConversationId: followUp)
        }
    }
}
