import Foundation
import SwitchboardCore
import SwitchboardStore

/// Agents and their live load, inside the caller's transaction.
package enum SQLAgents {
    static func upsert(_ agent: Agent, session: some SQLSession) async throws {
        let definition = try StoreJSON.encode(agent)
        try await session.execute(
            """
            INSERT INTO agents (id, definition, status) VALUES (\(agent.id), \(definition), \(agent.status.rawValue))
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, status = excluded.status
            """)
    }

    /// Every agent with the conversations they hold per channel and their last assignment, in id order (byte
    /// order); with `ids`, those of them only.
    package static func snapshots(_ session: some SQLSession, ids: [String]? = nil) async throws -> [AgentSnapshot] {
        var load: [String: [String: Int]] = [:]
        for (agentId, channel, held) in try await session.rows(
            """
            SELECT agent_id, channel, COUNT(*) FROM assignments
            WHERE released_at IS NULL\(ids.map { " AND agent_id IN \(in: $0)" } ?? "")
            GROUP BY agent_id, channel
            """, as: (String, String, Int).self)
        {
            load[agentId, default: [:]][channel] = held
        }
        return try await session.rows(
            """
            SELECT definition, status, last_assigned_at FROM agents\(ids.map { " WHERE id IN \(in: $0)" } ?? "")
            ORDER BY id\(SQL.bytewise)
            """, as: (Data, String, Date?).self
        ).map { definition, status, lastAssignedAt in
            var agent = try StoredAgent.decode(definition)
            agent.status = Presence(rawValue: status) ?? .offline
            return AgentSnapshot(agent: agent, load: load[agent.id] ?? [:], lastAssignedAt: lastAssignedAt)
        }
    }
}
