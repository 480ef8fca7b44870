import Foundation
import SwitchboardCore
import Synchronization

/// Agent definitions as the stores keep them: JSON documents, decoded through one shared cache.
package enum StoredAgent {
    /// Decoded agent definitions by their stored bytes. Routing reads every agent for every
    /// conversation, and every delivery its agent's desk, and definitions rarely change, so each distinct
    /// definition is decoded once. Keyed by content, the cache can never serve a stale definition. It holds
    /// every agent of a large board (20,000 and their changes): emptied at 10,000, it was emptied over and
    /// over by the deliveries to a board of 20,000.
    private static let decoded = Mutex<[Definition: Agent]>([:])

    /// A definition as a key hashed over all its bytes. `Data` hashes only its first bytes, which every
    /// definition shares (sorted keys: `{"authority":{…},"capacity":{…}`): keyed by `Data`, every lookup
    /// compared the definition with the others one by one (with 20,000 agents, a fifth of the server's CPU).
    private struct Definition: Hashable {
        var bytes: Data

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    static let maxCached = 50_000

    package static func decode(_ definition: Data) throws -> Agent {
        let key = Definition(bytes: definition)
        if let agent = decoded.withLock({ $0[key] }) { return agent }
        let agent = try StoreJSON.decode(Agent.self, from: definition)
        decoded.withLock { cache in
            if cache.count >= maxCached { cache.removeAll() }
            cache[key] = agent
        }
        return agent
    }
}
