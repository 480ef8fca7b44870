import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import Synchronization

/// Agents and their live load.
enum PostgresAgents {
    /// A stored definition, decoded once per distinct content (``StoredAgent``).
    static func decode(_ definition: Data) throws -> Agent {
        try StoredAgent.decode(definition)
    }

    static func upsert(_ agent: Agent, session: PostgresSession) async throws {
        let definition = try StoreJSON.encode(agent)
        try await session.execute(
            """
            INSERT INTO agents (id, definition, status) VALUES (\(agent.id), \(definition), \(agent.status.rawValue))
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, status = excluded.status
            """)
    }

    /// Every agent with the conversations they hold per channel and their last assignment, in id order (byte
    /// order, as SQLite sorts); with `ids`, those of them only.
    static func snapshots(_ session: PostgresSession, ids: [String]? = nil) async throws -> [AgentSnapshot] {
        let (all, only) = (ids == nil, ids ?? [])
        var load: [String: [String: Int]] = [:]
        for (agentId, channel, held) in try await session.rows(
            """
            SELECT agent_id, channel, COUNT(*) FROM assignments
            WHERE released_at IS NULL AND (\(all) OR agent_id = ANY(\(only)::TEXT[]))
            GROUP BY agent_id, channel
            """, as: (String, String, Int).self)
        {
            load[agentId, default: [:]][channel] = held
        }
        return try await session.rows(
            """
            SELECT definition, status, last_assigned_at FROM agents WHERE \(all) OR id = ANY(\(only)::TEXT[])
            ORDER BY id COLLATE "C"
            """,
            as: (Data, String, Double?).self
        ).map { definition, status, lastAssignedAt in
            var agent = try decode(definition)
            agent.status = Presence(rawValue: status) ?? .offline
            return AgentSnapshot(
                agent: agent, load: load[agent.id] ?? [:], lastAssignedAt: lastAssignedAt.map(Date.init(timeIntervalSince1970:)))
        }
    }
}

extension PostgresStore {
    public func upsertAgents(_ agents: [Agent]) async throws {
        try await writing { session in
            for agent in agents { try await PostgresAgents.upsert(agent, session: session) }
            // Definitions and presence changed: every instance's engine rebuilds before it next decides.
            _ = try await Self.advanceRoutingVersion(session)
        }
    }

    public func agentSnapshots() async throws -> [AgentSnapshot] {
        try await snapshot { session in try await PostgresAgents.snapshots(session) }
    }
}
