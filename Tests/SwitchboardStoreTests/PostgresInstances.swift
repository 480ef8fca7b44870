import Foundation
import Logging
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardStore
import TestSupport

/// Several instances of the PostgreSQL store on one fresh database, each with a client and a name of
/// its own, as separate processes would have; and rows put straight into it.
struct PostgresInstances {
    let stores: [PostgresStore]

    init(_ count: Int) async throws {
        let url = try await PostgresCluster.shared().database()
        var stores: [PostgresStore] = []
        for index in 0..<count {
            stores.append(
                try await PostgresStore.open(url: url, instance: "instance-\(index)", logger: Logger(label: "test.postgres"))
            )
        }
        self.stores = stores
    }

    /// A `bytea` literal.
    static func bytes(_ data: Data) -> String {
        "'\\x" + data.map { String(format: "%02x", $0) }.joined() + "'::bytea"
    }

    func agent(_ agent: Agent) async throws {
        try await stores[0].execute(
            unsafeSQL: """
                INSERT INTO agents (id, definition, status) VALUES ('\(agent.id)', \(Self.bytes(try StoreJSON.encode(agent))), 'online')
                """)
    }

    /// A pending delivery, due at `due`.
    func delivery(_ id: String, handoff: String, agent: String = "ana", due: Date) async throws {
        let at = due.timeIntervalSince1970
        try await stores[0].execute(
            unsafeSQL: """
                INSERT INTO deliveries (id, handoff_id, agent_id, kind, payload, status, next_attempt_at, created_at)
                VALUES ('\(id)', '\(handoff)', '\(agent)', 'handoff', \(Self.bytes(Data(id.utf8))), 'pending', \(at), \(at))
                """)
    }

    /// A pending write-back of conversation `c-1` from source `web`, due at `due`.
    func writeBack(_ id: String, agent: String = "ana", due: Date) async throws {
        let at = due.timeIntervalSince1970
        let empty = Self.bytes(Data("{}".utf8))
        try await stores[0].execute(
            unsafeSQL: "INSERT INTO customers (id, created_at) VALUES ('cu_1', \(at)) ON CONFLICT DO NOTHING")
        try await stores[0].execute(
            unsafeSQL: """
                INSERT INTO conversations (id, source, external_id, channel, customer_id, started_at, status, attributes, last_message)
                VALUES ('cv_1', 'web', 'c-1', 'chat', 'cu_1', \(at), 'assigned', \(empty), \(empty)) ON CONFLICT DO NOTHING
                """)
        try await stores[0].execute(
            unsafeSQL: """
                INSERT INTO write_backs (id, handoff_id, conversation_id, source, external_id, agent_id, status,
                    next_attempt_at, created_at)
                VALUES ('\(id)', 'h-\(id)', 'cv_1', 'web', 'c-1', '\(agent)', 'pending', \(at), \(at))
                """)
    }

    /// Moves the router's cursor, as applying events does.
    func moveRouterCursor(to sequence: Int64) async throws {
        try await stores[0].execute(unsafeSQL: "UPDATE cursors SET position = \(sequence) WHERE name = 'router'")
    }
}
