import Foundation
import GRDB
import SwitchboardCore

/// Agents and their live load.
enum SQLiteAgents {
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
        return try Row.fetchAll(db, sql: "SELECT definition, status, last_assigned_at FROM agents ORDER BY id").map {
            row in
            var agent = try StoreJSON.decode(Agent.self, from: row["definition"])
            agent.status = Presence(rawValue: row["status"]) ?? .offline
            return AgentSnapshot(
                agent: agent, load: load[agent.id] ?? [:],
                lastAssignedAt: (row["last_assigned_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }
}

extension SQLiteStore {
    public func upsertAgents(_ agents: [Agent]) async throws {
        try await pool.write { db in
            for agent in agents {
                try db.execute(
                    sql: """
                        INSERT INTO agents (id, definition, status) VALUES (?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, status = excluded.status
                        """,
                    arguments: [agent.id, try StoreJSON.encode(agent), agent.status.rawValue])
            }
        }
    }

    public func agentSnapshots() async throws -> [AgentSnapshot] {
        try await pool.read { db in try SQLiteAgents.snapshots(db) }
    }

    public func setPresence(agentId: String, status: Presence) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE agents SET status = ? WHERE id = ?", arguments: [status.rawValue, agentId])
            return db.changesCount > 0
        }
    }
}
