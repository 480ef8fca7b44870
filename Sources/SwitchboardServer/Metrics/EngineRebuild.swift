/// Why the routing engine was rebuilt from the store: the `reason` of `switchboard_engine_rebuilds_total`.
enum EngineRebuild: String {
    /// The server started.
    case start
    /// A routing table version was put in force.
    case table
    /// Another instance changed the routing state, seen in a routing transaction.
    case peer
    /// Found behind the store's routing version on the periodic check.
    case stale
    /// A routing transaction failed after the engine moved.
    case failure
}
