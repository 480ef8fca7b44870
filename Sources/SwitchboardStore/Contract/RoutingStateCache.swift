import SwitchboardCore

/// An in-memory copy of the routing state (the router's engine) that several processes keep in step
/// through one store.
///
/// Every transaction that changes routing state takes the store's lock and then syncs the copy: when
/// the store's routing version is not the one the copy was built from, another process changed the
/// state, and the copy is rebuilt from the state read in that same transaction before the engine
/// decides. When the transaction commits, the version moves on and the copy with it. A store used by one
/// process only (SQLite) never has to rebuild anything.
public protocol RoutingStateCache: AnyObject, Sendable {
    /// The routing version the copy reflects; nil before it was built from a versioned store.
    var routingVersion: Int64? { get }

    /// Rebuilds the copy from `state`, read under the store's lock, which is at `version`.
    func rebuild(from state: RoutingState, version: Int64)

    /// The copy reflects `version`: the transaction it took part in committed as that version.
    func advance(to version: Int64)
}
