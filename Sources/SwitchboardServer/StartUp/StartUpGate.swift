import ServiceLifecycle
import Synchronization

/// Opened once the start-up work that needs the store is done (migrations, agents, the routing table,
/// the engine); the services that use the store wait for it. Failed when that work failed: the waiters
/// stop, and the application reports the error.
final class StartUpGate: Sendable {
    private enum State {
        case waiting([Int: CheckedContinuation<Void, any Error>], next: Int)
        case open
        case failed(any Error)
    }

    private let state = Mutex(State.waiting([:], next: 0))

    func open() { finish(.open) }

    func fail(_ error: any Error) { finish(.failed(error)) }

    private func finish(_ end: State) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard case .waiting(let waiters, _) = state else { return [] }
            state = end
            return Array(waiters.values)
        }
        for waiter in waiters {
            if case .failed(let error) = end { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }

    /// Returns once the gate is open. Throws the start-up's error when it failed, and `CancellationError`
    /// when the waiting task is cancelled first.
    func wait() async throws {
        let id = Mutex<Int?>(nil)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result: Result<Void, any Error>? = state.withLock { state in
                    switch state {
                    case .open: return .success(())
                    case .failed(let error): return .failure(error)
                    case .waiting(var waiters, let next):
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[next] = continuation
                        state = .waiting(waiters, next: next + 1)
                        id.withLock { $0 = next }
                        return nil
                    }
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, any Error>? = state.withLock { state in
                guard case .waiting(var waiters, let next) = state, let key = id.withLock({ $0 }),
                    let waiter = waiters.removeValue(forKey: key)
                else { return nil }
                state = .waiting(waiters, next: next)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

/// A service that uses the store, started once the start-up work is done. A shutdown (or a failed
/// start-up) before then ends it without running it.
struct AfterStartUp: Service {
    let gate: StartUpGate
    let service: any Service

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await gate.wait() }
        } catch {
            return
        }
        try await service.run()
    }
}
