import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    public func conversation(id: String) async throws -> Conversation? {
        try await pool.read { db in
            try SQLiteConversations.fetch(db, where: "id = ?", arguments: [id]).first?.0
        }
    }

    public func resolve(conversationId: String, outcome: String, notes: String?, at: Date) async throws -> ResolveResult
    {
        try await pool.write { db in
            guard
                var (conversation, _) = try SQLiteConversations.fetch(db, where: "id = ?", arguments: [conversationId])
                    .first
            else { return .notFound }
            guard conversation.status == .assigned, let handoffId = conversation.handoffId else {
                return .notAssigned(conversation.status)
            }
            try db.cachedStatement(
                sql: """
                    UPDATE conversations SET status = 'resolved', outcome = ?, notes = ?, resolved_at = ? WHERE id = ?
                    """
            ).execute(arguments: [outcome, notes, at.timeIntervalSince1970, conversationId])
            try db.cachedStatement(
                sql: "UPDATE assignments SET released_at = ? WHERE handoff_id = ? AND released_at IS NULL"
            ).execute(arguments: [at.timeIntervalSince1970, handoffId])
            conversation.status = .resolved
            conversation.outcome = outcome
            conversation.notes = notes
            return .resolved(conversation)
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
}
