import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// What a routing transaction reads once for its whole batch of events instead of once per event: who owns
/// each identity the messages carry, and which of their conversations exist. The transaction keeps it up to
/// date with the customers, identities and conversations it creates, so every event sees what the events
/// before it in the batch did, as it would reading the store. (Only the apply path creates identities and
/// conversations inside a routing transaction, and nothing there moves an identity to another customer.)
struct PostgresBatchLookup {
    struct ConversationKey: Hashable {
        var source: String
        var externalId: String
    }

    /// The owner of every identity of the batch that has one.
    var owners: [Identity: String] = [:]
    /// The batch's conversations that exist, in the store or created by an earlier event of the batch.
    var existing: Set<ConversationKey> = []

    /// Reads both for `messages`: two statements.
    static func read(for messages: [InboundMessage], session: PostgresSession) async throws -> PostgresBatchLookup {
        var lookup = PostgresBatchLookup()
        let identities = Array(Set(messages.flatMap { CustomerMatch.identities(of: $0) }))
        if !identities.isEmpty {
            for (kind, value, customerId) in try await session.rows(
                """
                SELECT i.kind, i.value, i.customer_id
                FROM UNNEST(\(identities.map(\.kind.rawValue))::TEXT[], \(identities.map(\.value))::TEXT[]) AS wanted (kind, value)
                JOIN identities i ON i.kind = wanted.kind AND i.value = wanted.value
                """, as: (String, String, String).self)
            {
                if let kind = Identity.Kind(rawValue: kind) { lookup.owners[Identity(kind: kind, value: value)] = customerId }
            }
        }
        let keys = Array(Set(messages.map { ConversationKey(source: $0.source, externalId: $0.conversationId) }))
        if !keys.isEmpty {
            for (source, externalId) in try await session.rows(
                """
                SELECT c.source, c.external_id
                FROM UNNEST(\(keys.map(\.source))::TEXT[], \(keys.map(\.externalId))::TEXT[]) AS wanted (source, external_id)
                JOIN conversations c ON c.source = wanted.source AND c.external_id = wanted.external_id
                """, as: (String, String).self)
            {
                lookup.existing.insert(ConversationKey(source: source, externalId: externalId))
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
