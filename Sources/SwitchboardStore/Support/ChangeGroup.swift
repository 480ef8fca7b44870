import Synchronization

/// Commits concurrent changes of routing state in shared transactions, as ``GroupCommit`` does for
/// inbound appends: while one transaction is being written, the changes that arrive (agents accepting,
/// declining, resolving, going away) queue up and go into the next one, each in a savepoint of its own.
/// A change that fails is rolled back to its savepoint and fails alone; the others commit together, one
/// commit (one fsync, one turn of the routing lock) for the group. Each caller returns once its group is
/// committed. Each store gives it the transaction that writes a group.
public final class ChangeGroup<Work: Sendable>: Sendable {
    typealias Waiter = CheckedContinuation<Void, any Error>

    private struct State {
        var queue: [(Work, Waiter)] = []
        var flushing = false
    }

    private let state = Mutex(State())
    /// Writes a group in one transaction, each work in a savepoint; returns each one's error, nil for those
    /// that were written. Throws when the transaction itself failed: then nothing of the group is committed.
    private let write: @Sendable ([Work]) async throws -> [(any Error)?]
    private let maxGroup: Int

    public init(maxGroup: Int, write: @escaping @Sendable ([Work]) async throws -> [(any Error)?]) {
        self.write = write
        self.maxGroup = maxGroup
    }

    /// Returns once `work` is committed; throws what it threw, or why its group's transaction failed.
    public func run(_ work: Work) async throws {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let startFlushing = state.withLock { state -> Bool in
                state.queue.append((work, waiter))
                if state.flushing { return false }
                state.flushing = true
                return true
            }
            if startFlushing {
                Task { await self.flush() }
            }
        }
    }

    /// Writes groups until the queue is empty.
    private func flush() async {
        while true {
            let group = state.withLock { state -> [(Work, Waiter)] in
                let taken = Array(state.queue.prefix(maxGroup))
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.flushing = false }
                return taken
            }
            if group.isEmpty { return }
            do {
                let errors = try await write(group.map(\.0))
                for (index, (_, waiter)) in group.enumerated() {
                    if let error = errors[index] { waiter.resume(throwing: error) } else { waiter.resume() }
                }
            } catch {
                for (_, waiter) in group { waiter.resume(throwing: error) }
            }
        }
    }
}

/// The value a change's `decide` returned, kept until its group commits.
package final class Decided<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    package init() {}

    package func keep(_ value: Value) { slot.withLock { $0 = value } }

    /// The value kept; only read after the change was written (its `decide` ran and returned).
    package var value: Value {
        get throws {
            guard let value = slot.withLock({ $0 }) else { throw StoreError.inconsistent("a change was committed without its decision") }
            return value
        }
    }
}
