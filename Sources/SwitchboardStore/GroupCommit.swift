import GRDB
import Synchronization

/// Commits concurrent appends in shared transactions: while one transaction is being written, the
/// appends that arrive queue up and go into the next one. Each caller still returns only after its
/// own event is committed, and one fsync covers the whole group.
final class GroupCommit: Sendable {
    typealias Waiter = CheckedContinuation<AppendOutcome, any Error>

    private struct State {
        var queue: [(InboundEvent, Waiter)] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let writer: DatabasePool
    private let maxGroup: Int

    init(writer: DatabasePool, maxGroup: Int = 2048) {
        self.writer = writer
        self.maxGroup = maxGroup
    }

    func append(_ event: InboundEvent) async throws -> AppendOutcome {
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
                let events = group.map(\.0)
                let outcomes = try await writer.write { db in
                    try events.map { try SQLiteInbound.insert($0, db: db) }
                }
                for (index, outcome) in outcomes.enumerated() {
                    group[index].1.resume(returning: outcome)
                }
            } catch {
                for (_, waiter) in group { waiter.resume(throwing: error) }
            }
        }
    }
}
