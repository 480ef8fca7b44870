import Synchronization
import SwitchboardStore

/// The wake-ups between the HTTP handlers and the background services.
public final class RoutingSignals: Sendable {
    /// Wakes the router: new inbound events, or a dispatch of waiting conversations.
    let router = WakeSignal()
    /// Wakes the delivery service: new deliveries are stored.
    let delivery = WakeSignal()
    private let dispatchRequested = Mutex(false)

    public init() {}

    /// Inbound events were committed.
    func eventsAppended() { router.signal() }

    /// An agent may have become eligible (presence, freed capacity, a changed definition).
    func requestDispatch() {
        dispatchRequested.withLock { $0 = true }
        router.signal()
    }

    /// Takes the pending dispatch request, if any.
    func takeDispatchRequest() -> Bool {
        dispatchRequested.withLock { requested in
            defer { requested = false }
            return requested
        }
    }

    /// Deliveries were stored.
    func deliveriesQueued() { delivery.signal() }
}
