import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func conversation(id: String) async throws -> Conversation? {
        try await pool.read { db in
            try SQLiteConversations.fetch(db, where: "id = ?", arguments: [id]).first?.0
        }
    }

    public func decisions(conversationId: String) async throws -> [Decision] {
        try await pool.read { db in
            try Data.fetchAll(
                db.cachedStatement(sql: "SELECT body FROM decisions WHERE conversation_id = ? ORDER BY id"),
                arguments: [conversationId]
            ).map { try StoreJSON.decode(Decision.self, from: $0) }
        }
    }

    public func recentConversations(limit: Int) async throws -> [RecentConversation] {
        try await pool.read { db in
            try SQLiteConversations.fetch(
                db, where: "1 ORDER BY started_at DESC, rowid DESC LIMIT ?", arguments: [limit]
            ).map { conversation, message in
                RecentConversation(
                    id: conversation.id, channel: conversation.channel, startedAt: conversation.startedAt,
                    message: message, agentId: conversation.agentId, previousAgentId: conversation.previousAgentId)
            }
        }
    }
}
