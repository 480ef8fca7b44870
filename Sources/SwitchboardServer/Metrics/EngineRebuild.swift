/// Why the routing engine was rebuilt from the store: the `reason` of `switchboard_engine_rebuilds_total`.
enum EngineRebuild: String {
    /// The server started.
    case start
    /// A routing table version was put in force.
    case table
    /// Another instance changed the routing state, and the store no longer had the record of every version
    /// since the engine's to catch up on (a version moved on without one, or the engine was too far behind).
    case peer
    /// A routing transaction failed after the engine moved.
    case failure
}
