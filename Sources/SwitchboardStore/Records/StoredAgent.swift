import Foundation
import SwitchboardCore
import Synchronization

/// Agent definitions as the stores keep them: JSON documents, decoded through one shared cache.
package enum StoredAgent {
    /// Decoded agent definitions by their stored bytes. Routing reads every agent for every
    /// conversation, and definitions rarely change, so each distinct definition is decoded once.
    /// Keyed by content, the cache can never serve a stale definition.
    private static let decoded = Mutex<[Data: Agent]>([:])

    package static func decode(_ definition: Data) throws -> Agent {
        if let agent = decoded.withLock({ $0[definition] }) { return agent }
        let agent = try StoreJSON.decode(Agent.self, from: definition)
        decoded.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[definition] = agent
        }
        return agent
    }
}
