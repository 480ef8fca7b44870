import Foundation
/// Everything Switchboard keeps, as the roles its parts use: each part depends on the role it needs
/// (delivery on ``DeliveryStore``, polling on ``SourceStore``), the server on the whole. SQLite
/// (embedded) and PostgreSQL (several instances) implement it and pass the same behaviour tests.
public protocol Store: SourceStore, RoutingStore, ConversationStore, DeliveryStore, RouteTableStore, AccessStore {
    /// Housekeeping the server runs about once a second (for SQLite: checkpointing the inbound
    /// log off the acknowledgement path).
    func maintain() async throws

    /// Empties the body of each inbound event received before `cutoff` that the router has applied,
    /// keeping its source and webhook id, so that a platform's late repeat is still a duplicate; at
    /// most `limit` a call, oldest first. Returns how many were emptied.
    func pruneInboundBodies(receivedBefore cutoff: Date, limit: Int) async throws -> Int
}
