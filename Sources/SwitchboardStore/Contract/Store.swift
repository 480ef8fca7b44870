/// Everything Switchboard keeps, as the roles its parts use: each part depends on the role it needs
/// (delivery on ``DeliveryStore``, polling on ``SourceStore``), the server on the whole. SQLite
/// (embedded) and PostgreSQL (several instances) implement it and pass the same behaviour tests.
public protocol Store: SourceStore, RoutingStore, ConversationStore, DeliveryStore, RouteTableStore {
    /// Housekeeping the server runs about once a second (for SQLite: checkpointing the inbound
    /// log off the acknowledgement path).
    func maintain() async throws
}
