import Synchronization
import SwitchboardStore

/// The deliveries being attempted now, and those the desk took that are not yet marked in the store.
///
/// A delivery stays here from its start until the store knows how it went (marked delivered, or its retry
/// scheduled), so a delivery still pending in the store is never started twice. Deliveries the desks took
/// are marked together, one transaction for all that finished meanwhile; a delivery waiting for its mark
/// no longer takes one of the attempts allowed at once.
final class DeliveryInFlight: Sendable {
    private struct State {
        /// Started and not yet settled: being attempted, or taken and waiting for the mark.
        var started: Set<String> = []
        /// Being attempted now.
        var attempting = 0
        var taken: [DeliveredMark] = []
        /// Settled since the current look for due deliveries began: that look may have read them before the
        /// store knew how they went, so it must not start them again.
        var settledDuringLook: Set<String> = []
    }
    private let state = Mutex(State())

    /// How many are being attempted or waiting to be marked: all of them are still pending in the store.
    var count: Int { state.withLock { $0.started.count } }

    /// How many are being attempted now.
    var attempting: Int { state.withLock { $0.attempting } }

    /// Call before reading the due deliveries from the store, then pass what it returned to ``start(_:room:)``.
    func beginLook() {
        state.withLock { $0.settledDuringLook = [] }
    }

    /// Those of `due` (read since ``beginLook()``) neither started nor settled meanwhile, at most `room` of
    /// them, now counted as started and attempted.
    func start(_ due: [DueDelivery], room: Int) -> [DueDelivery] {
        state.withLock { state in
            var starting: [DueDelivery] = []
            for delivery in due
            where starting.count < room && !state.started.contains(delivery.id)
                && !state.settledDuringLook.contains(delivery.id)
            {
                state.started.insert(delivery.id)
                starting.append(delivery)
            }
            state.attempting += starting.count
            return starting
        }
    }

    /// The desk took it: marked with the next batch.
    func taken(_ mark: DeliveredMark) {
        state.withLock { state in
            state.attempting -= 1
            state.taken.append(mark)
        }
    }

    /// The attempt failed; the caller records its retry and then settles it.
    func failed() {
        state.withLock { $0.attempting -= 1 }
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
            for id in ids {
                state.started.remove(id)
                state.settledDuringLook.insert(id)
            }
        }
    }
}
