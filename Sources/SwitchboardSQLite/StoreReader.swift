import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

/// Synchronous reads inside one read transaction of `SQLiteStore.read`: the same queries as the
/// store's async methods without the hop to a reader connection, so a benchmark can tell them apart.
package struct StoreReader {
    let db: Database
    let limits: HistoryLimits

    /// What `SQLiteStore.handoffContext(conversationId:now:)` returns.
    package func handoffContext(conversationId: String, now: Date) throws -> HandoffContext? {
        try SQLiteRouting.context(conversationId: conversationId, limits: limits, now: now, db: db)
    }

    /// What `SQLiteStore.customerId(for:)` returns.
    package func customerId(for identity: Identity) throws -> String? {
        try SQLiteCustomers.owner(of: identity, db: db)
    }

    /// SQLite's plan for each query that builds the handoff context of `conversationId`, with the
    /// arguments it would use, then for the lookup of `identity`: the query's name, then one line per step.
    package func queryPlans(conversationId: String, identity: Identity) throws -> [(query: String, plan: [String])] {
        guard
            let customerId = try String.fetchOne(
                db, sql: "SELECT customer_id FROM conversations WHERE id = ?", arguments: [conversationId])
        else { return [] }
        let queries =
            SQLiteRouting.contextQueries(conversationId: conversationId, customerId: customerId, limits: limits)
            + [("identity lookup", SQLiteCustomers.ownerSQL, [identity.kind.rawValue, identity.value])]
        return try queries.map { name, sql, arguments in
            let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
            var depth: [Int: Int] = [0: 0]
            let plan = rows.map { row -> String in
                let level = (depth[row["parent"]] ?? 0) + 1
                depth[row["id"]] = level
                return String(repeating: "  ", count: level - 1) + (row["detail"] as String)
            }
            return (name, plan)
        }
    }

    /// Rows in each table that holds customer memory.
    package func rowCounts() throws -> [(table: String, rows: Int)] {
        try ["customers", "identities", "conversations", "messages", "notes", "promises"].map { table in
            (table, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0)
        }
    }
}

extension SQLiteStore {
    /// Runs `body` inside one read transaction, on the caller's thread.
    package func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try pool.read { db in try body(StoreReader(db: db, limits: historyLimits)) }
    }

    /// Runs `body` inside one read transaction on a reader connection, the way the store's async
    /// reads do: with an empty body, what that hop costs.
    package func readAsync<T: Sendable>(_ body: @Sendable (StoreReader) throws -> T) async throws -> T {
        let limits = historyLimits
        return try await pool.read { db in try body(StoreReader(db: db, limits: limits)) }
    }
}
