import Synchronization
import SwitchboardStore

/// The wake-ups between the HTTP handlers and the background services.
public final class RoutingSignals: Sendable {
    /// Wakes the router: new inbound events.
    let router = WakeSignal()
    /// Wakes the delivery service: new deliveries are stored.
    let delivery = WakeSignal()

    public init() {}

    /// Inbound events were committed.
    func eventsAppended() { router.signal() }

    /// Deliveries were stored.
    func deliveriesQueued() { delivery.signal() }
}
