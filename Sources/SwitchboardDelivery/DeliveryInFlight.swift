import Synchronization
import SwitchboardStore

/// The deliveries being attempted now, and those the desk took that are not yet marked in the store.
///
/// A delivery stays here from its start until the store knows how it went (marked delivered, or its retry
/// scheduled), so a delivery still pending in the store is never started twice. Deliveries the desks took
/// are marked together, one transaction for all that finished meanwhile.
final class DeliveryInFlight: Sendable {
    private let state = Mutex<(started: Set<String>, taken: [DeliveredMark])>(([], []))

    /// How many are being attempted or waiting to be marked.
    var count: Int { state.withLock { $0.started.count } }

    /// Those of `due` not already started, at most `room` of them, now counted as started.
    func start(_ due: [DueDelivery], room: Int) -> [DueDelivery] {
        state.withLock { state in
            var starting: [DueDelivery] = []
            for delivery in due where starting.count < room && !state.started.contains(delivery.id) {
                state.started.insert(delivery.id)
                starting.append(delivery)
            }
            return starting
        }
    }

    /// The desk took it: marked with the next batch.
    func taken(_ mark: DeliveredMark) {
        state.withLock { $0.taken.append(mark) }
    }

    /// The deliveries taken since the last call, to be marked.
    func takeMarks() -> [DeliveredMark] {
        state.withLock { state in
            defer { state.taken = [] }
            return state.taken
        }
    }

    /// Marking them failed: they are marked with the next batch.
    func retake(_ marks: [DeliveredMark]) {
        state.withLock { $0.taken = marks + $0.taken }
    }

    /// The store knows how these went: they may be started again when they are due.
    func settled(_ ids: some Sequence<String>) {
        state.withLock { state in
            for id in ids { state.started.remove(id) }
        }
    }
}
