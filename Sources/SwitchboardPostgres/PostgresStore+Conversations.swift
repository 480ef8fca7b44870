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
}
