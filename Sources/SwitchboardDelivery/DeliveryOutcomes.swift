import Foundation
import SwitchboardStore
import Synchronization

/// What one attempt came to: delivered, or a retry to schedule.
struct DeliveryOutcome: Sendable {
    struct Retry: Sendable {
        var id: String
        var attempts: Int
        var at: Date
        var error: String
    }

    var id: String
    var delivered: DeliveredMark?
    var retry: Retry?
}

/// The deliveries this instance holds between the sender and the settler: those in flight, and those back
/// whose outcome is not committed yet. None of them may be started again until the settler releases it.
final class DeliveryOutcomes: Sendable {
    private struct State {
        var held: Set<String> = []
        var inFlight = 0
        var back: [DeliveryOutcome] = []
    }

    private let state = Mutex(State())
    /// Signalled when an outcome comes back.
    let arrived = WakeSignal()

    /// Attempts under way.
    var inFlight: Int { state.withLock { $0.inFlight } }

    /// Every delivery held, in flight or waiting to be settled.
    var held: Set<String> { state.withLock { $0.held } }

    /// Holds `id` for an attempt; false when it is held already.
    func start(_ id: String) -> Bool {
        state.withLock { state in
            guard state.held.insert(id).inserted else { return false }
            state.inFlight += 1
            return true
        }
    }

    func finish(_ outcome: DeliveryOutcome) {
        state.withLock { state in
            state.inFlight -= 1
            state.back.append(outcome)
        }
        arrived.signal()
    }

    /// The outcomes back since the last call.
    func take() -> [DeliveryOutcome] {
        state.withLock { state in
            defer { state.back.removeAll(keepingCapacity: true) }
            return state.back
        }
    }

    /// The outcomes are committed (or failed to be, and the store's row says what to do next).
    func release(_ ids: [String]) {
        state.withLock { state in
            for id in ids { state.held.remove(id) }
        }
    }
}
