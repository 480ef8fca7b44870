import Foundation
import GRDB
import Synchronization
import SwitchboardCore
import SwitchboardSQL
import SwitchboardStore

/// Reads inside one read transaction of `SQLiteStore.read`: the same queries as the store's async methods,
/// several in one transaction, so a benchmark can tell the queries from the hop to a connection.
package struct StoreReader {
    let session: SQLiteSession
    let limits: HistoryLimits

    /// What `SQLiteStore.handoffContext(conversationId:now:)` returns.
    package func handoffContext(conversationId: String, now: Date) async throws -> HandoffContext? {
        try await SQLRouting.context(conversationId: conversationId, limits: limits, now: now, session: session)
    }

    /// What `SQLiteStore.customerId(for:)` returns.
    package func customerId(for identity: Identity) async throws -> String? {
        try await SQLCustomers.owner(of: identity, session: session)
    }

    /// SQLite's plan for each query that builds the handoff context of `conversationId`, then for the lookup
    /// of `identity`, as the shared store logic sends them (recorded while it runs): the query (its first
    /// line), then one line per step.
    package func queryPlans(conversationId: String, identity: Identity) async throws -> [(query: String, plan: [String])] {
        let recording = RecordingSession(base: session)
        _ = try await SQLRouting.context(conversationId: conversationId, limits: limits, now: Date(), session: recording)
        _ = try await SQLCustomers.owner(of: identity, session: recording)
        var plans: [(query: String, plan: [String])] = []
        for sql in recording.statements {
            let rows = try await session.rows(SQL(parts: [.text("EXPLAIN QUERY PLAN ")] + sql.parts))
            var depth: [Int64: Int] = [0: 0]
            let plan = try rows.map { row -> String in
                let (id, parent, _, detail) = try row.decode((Int64, Int64, Int64, String).self)
                let level = (depth[parent] ?? 0) + 1
                depth[id] = level
                return String(repeating: "  ", count: level - 1) + detail
            }
            let text = sql.rendered(for: .sqlite).text
            let firstLine = text.split(separator: "\n").first.map(String.init) ?? text
            plans.append((firstLine.trimmingCharacters(in: .whitespaces), plan))
        }
        return plans
    }

    /// Rows in each table that holds customer memory.
    package func rowCounts() async throws -> [(table: String, rows: Int)] {
        var counts: [(table: String, rows: Int)] = []
        for table in ["customers", "identities", "conversations", "messages", "notes", "promises"] {
            counts.append((table, try await session.value("SELECT COUNT(*) FROM \(unescaped: table)", as: Int.self) ?? 0))
        }
        return counts
    }
}

/// A session that keeps every statement it forwards: what `queryPlans` explains.
private final class RecordingSession: SQLSession, Sendable {
    let base: SQLiteSession
    private let recorded = Mutex<[SQL]>([])

    init(base: SQLiteSession) {
        self.base = base
    }

    var dialect: SQLDialect { base.dialect }
    var statements: [SQL] { recorded.withLock { $0 } }

    func execute(_ sql: SQL) async throws {
        recorded.withLock { $0.append(sql) }
        try await base.execute(sql)
    }

    func rows(_ sql: SQL) async throws -> [SQLRow] {
        recorded.withLock { $0.append(sql) }
        return try await base.rows(sql)
    }
}

extension SQLiteStore {
    /// Runs `body` inside one read transaction (the snapshot reader's), its statements on the caller's thread.
    package func read<T: Sendable>(_ body: (StoreReader) async throws -> T) async throws -> T {
        let limits = historyLimits
        return try await snapshot { session in try await body(StoreReader(session: session, limits: limits)) }
    }

    /// Runs `body` inside one read transaction on a reader connection of the pool, the way GRDB's async reads
    /// do: with an empty body, what that hop costs.
    package func readAsync<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
        try await pool.read { _ in try body() }
    }
}
