import Logging
import PostgresNIO
import SwitchboardStore
import Synchronization

/// Commits an instance's concurrent appends in shared transactions, as the SQLite store does: while one
/// transaction is being written, the appends that arrive queue up and go into the next one. Each caller
/// still returns only after its own event is committed, and one commit (one WAL flush, one turn of the
/// inbound lock) covers the whole group.
final class PostgresGroupCommit: Sendable {
    typealias Waiter = CheckedContinuation<AppendOutcome, any Error>

    private struct State {
        var queue: [(InboundEvent, Waiter)] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let client: PostgresClient
    private let logger: Logger
    private let maxGroup: Int

    init(client: PostgresClient, logger: Logger, maxGroup: Int = 512) {
        self.client = client
        self.logger = logger
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
                let outcomes = try await PostgresTransaction.run(client, holding: .inbound, logger: logger) {
                    connection in
                    var outcomes: [AppendOutcome] = []
                    for event in events {
                        outcomes.append(try await PostgresInbound.insert(event, connection: connection, logger: logger))
                    }
                    return outcomes
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
