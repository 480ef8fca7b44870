import Synchronization
import SwitchboardStore

/// The wake-ups between the HTTP handlers and the background services.
public final class RoutingSignals: Sendable {
    /// Wakes the router: new inbound events.
    let router = WakeSignal()
    /// Wakes the delivery service: new deliveries are stored.
    let delivery = WakeSignal()
    /// Wakes the write-back service: acceptances (and so perhaps write-backs) are stored.
    let writeBack = WakeSignal()

    public init() {}

    /// Inbound events were committed.
    func eventsAppended() { router.signal() }

    /// Deliveries were stored.
    func deliveriesQueued() { delivery.signal() }

    /// Offers were accepted: their write-backs, if any, were stored with them.
    func acceptancesCommitted() { writeBack.signal() }
}
