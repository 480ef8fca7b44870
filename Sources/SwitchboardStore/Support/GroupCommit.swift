import Synchronization

/// Commits concurrent appends in shared transactions: while one transaction is being written, the
/// appends that arrive queue up and go into the next one. Each caller still returns only after its
/// own event is committed, and one commit (one fsync) covers the whole group. Each store gives it the
/// transaction that writes a group.
package final class GroupCommit: Sendable {
    typealias Waiter = CheckedContinuation<AppendOutcome, any Error>

    private struct State {
        var queue: [(InboundEvent, Waiter)] = []
        var flushing = false
    }

    private let state = Mutex(State())
    /// Writes a group in one transaction; returns each event's outcome, in order.
    private let write: @Sendable ([InboundEvent]) async throws -> [AppendOutcome]
    private let maxGroup: Int

    package init(maxGroup: Int, write: @escaping @Sendable ([InboundEvent]) async throws -> [AppendOutcome]) {
        self.write = write
        self.maxGroup = maxGroup
    }

    package func append(_ event: InboundEvent) async throws -> AppendOutcome {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let startFlushing = state.withLock { state -> Bool in
                state.queue.append((event, waiter))
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
            let group = state.withLock { state -> [(InboundEvent, Waiter)] in
                let taken = Array(state.queue.prefix(maxGroup))
                state.queue.removeFirst(taken.count)
                if taken.isEmpty { state.flushing = false }
                return taken
            }
            if group.isEmpty { return }
            do {
                let outcomes = try await write(group.map(\.0))
                for (index, outcome) in outcomes.enumerated() {
                    group[index].1.resume(returning: outcome)
                }
            } catch {
                for (_, waiter) in group { waiter.resume(throwing: error) }
            }
        }
    }
}
