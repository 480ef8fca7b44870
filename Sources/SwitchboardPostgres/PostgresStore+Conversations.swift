import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

extension PostgresStore {
    public func conversation(id: String) async throws -> Conversation? {
        try await reading { session in try await PostgresConversations.fetch(id: id, session: session)?.0 }
    }

    public func decisions(conversationId: String) async throws -> [Decision] {
        try await reading { session in
            try await session.column(
                "SELECT body FROM decisions WHERE conversation_id = \(conversationId) ORDER BY id", as: Data.self
            ).map { try StoreJSON.decode(Decision.self, from: $0) }
        }
    }

    public func recentConversations(limit: Int) async throws -> [RecentConversation] {
        try await read { connection in
            var recent: [RecentConversation] = []
            for try await (id, channel, startedAt, lastMessage, agentId, previousAgentId) in try await connection.checkedQuery(
                """
                SELECT id, channel, started_at, last_message, agent_id, previous_agent_id FROM conversations
                ORDER BY started_at DESC, position DESC LIMIT \(limit)
                """, logger: logger
            ).decode((String, String, Double, Data, String?, String?).self) {
                recent.append(
                    RecentConversation(
                        id: id, channel: channel, startedAt: Date(timeIntervalSince1970: startedAt),
                        message: try StoreJSON.decode(InboundMessage.self, from: lastMessage), agentId: agentId,
                        previousAgentId: previousAgentId))
            }
            return recent
        }
    }
}
