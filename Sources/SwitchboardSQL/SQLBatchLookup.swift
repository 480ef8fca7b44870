import SwitchboardCore
import SwitchboardStore

/// What a routing transaction reads once for its whole batch of events instead of once per event: who owns
/// each identity the messages carry, and which of their conversations exist. The transaction keeps it up to
/// date with the customers, identities and conversations it creates, so every event sees what the events
/// before it in the batch did, as it would reading the store. (Only the apply path creates identities and
/// conversations inside a routing transaction, and nothing there moves an identity to another customer.)
package struct SQLBatchLookup {
    struct ConversationKey: Hashable {
        var source: String
        var externalId: String
    }

    /// The owner of every identity of the batch that has one.
    var owners: [Identity: String] = [:]
    /// The batch's conversations that exist, in the store or created by an earlier event of the batch.
    var existing: Set<ConversationKey> = []

    /// Reads both for `messages`: two statements, each on the table's two-column index (`kind IN (…) AND value
    /// IN (…)`), the pairs not asked for left out here.
    static func read(for messages: [InboundMessage], session: some SQLSession) async throws -> SQLBatchLookup {
        var lookup = SQLBatchLookup()
        let identities = Set(messages.flatMap { CustomerMatch.identities(of: $0) })
        if !identities.isEmpty {
            for (kind, value, customerId) in try await session.rows(
                """
                SELECT kind, value, customer_id FROM identities
                WHERE kind IN \(in: Set(identities.map(\.kind.rawValue)).sorted()) AND value IN \(in: Set(identities.map(\.value)).sorted())
                """, as: (String, String, String).self)
            {
                guard let kind = Identity.Kind(rawValue: kind) else { continue }
                let identity = Identity(kind: kind, value: value)
                if identities.contains(identity) { lookup.owners[identity] = customerId }
            }
        }
        let keys = Set(messages.map { ConversationKey(source: $0.source, externalId: $0.conversationId) })
        if !keys.isEmpty {
            for (source, externalId) in try await session.rows(
                """
                SELECT source, external_id FROM conversations
                WHERE source IN \(in: Set(keys.map(\.source)).sorted()) AND external_id IN \(in: Set(keys.map(\.externalId)).sorted())
                """, as: (String, String).self)
            {
                let key = ConversationKey(source: source, externalId: externalId)
                if keys.contains(key) { lookup.existing.insert(key) }
            }
        }
        return lookup
    }

    /// The owners of `identities`, as the store holds them now.
    func owners(of identities: [Identity]) -> [Identity: String] {
        var found: [Identity: String] = [:]
        for identity in identities {
            if let owner = owners[identity] { found[identity] = owner }
        }
        return found
    }

    func exists(_ message: InboundMessage) -> Bool {
        existing.contains(ConversationKey(source: message.source, externalId: message.conversationId))
    }

    mutating func created(_ message: InboundMessage) {
        existing.insert(ConversationKey(source: message.source, externalId: message.conversationId))
    }
}
