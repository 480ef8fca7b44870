import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore
import Synchronization

/// Agents and their live load.
enum SQLiteAgents {
    /// A stored definition, decoded once per distinct content (``StoredAgent``).
    static func decode(_ definition: Data) throws -> Agent {
        try StoredAgent.decode(definition)
    }

    static func upsert(_ agent: Agent, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO agents (id, definition, status) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, status = excluded.status
                """
        ).execute(arguments: [agent.id, try StoreJSON.encode(agent), agent.status.rawValue])
    }

    static func snapshots(_ db: Database) throws -> [AgentSnapshot] {
        var load: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT agent_id, channel, COUNT(*) AS held FROM assignments WHERE released_at IS NULL
                GROUP BY agent_id, channel
                """)
        {
            load[row["agent_id"], default: [:]][row["channel"]] = row["held"]
        }
        return try Row.fetchAll(
            db.cachedStatement(sql: "SELECT definition, status, last_assigned_at FROM agents ORDER BY id")
        ).map {
            row in
            var agent = try decode(row["definition"])
            agent.status = Presence(rawValue: row["status"]) ?? .offline
            return AgentSnapshot(
                agent: agent, load: load[agent.id] ?? [:],
                lastAssignedAt: (row["last_assigned_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }
}

extension SQLiteStore {
    public func upsertAgents(_ agents: [Agent]) async throws {
        try await writer.write { db in
            for agent in agents { try SQLiteAgents.upsert(agent, db: db) }
        }
    }

    public func agentSnapshots() async throws -> [AgentSnapshot] {
        try await pool.read { db in try SQLiteAgents.snapshots(db) }
    }
}
