import Foundation
import ServiceLifecycle

/// Everything Switchboard keeps, as the roles its parts use: each part depends on the role it needs
/// (delivery on ``DeliveryStore``, polling and the inbound endpoint on ``SourceStore``), the server on the
/// whole. SQLite (embedded) and PostgreSQL (several instances) implement it, their logic written once in
/// SwitchboardSQL, and pass the same behaviour tests.
///
/// A store is a service of the application (as Hummingbird's `PersistDriver` is): `run()` does what it needs
/// in the background until shutdown (PostgreSQL: its connection pools; SQLite: checkpointing the inbound log
/// off the acknowledgement path), and ``prepare()`` is awaited at start-up before the first use.
public protocol Store: Service, SourceStore, RoutingStore, ConversationStore, DeliveryStore, RouteTableStore, AccessStore {
    /// Work before the first use (PostgreSQL: its migrations, under a lock, so that instances starting
    /// together apply each once).
    func prepare() async throws
}
