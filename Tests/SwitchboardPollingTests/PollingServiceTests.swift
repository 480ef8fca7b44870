import Foundation
import Logging
import Synchronization
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardPolling
import SwitchboardSQLite
import SwitchboardStore
import Testing

/// The polling loop against a real store, with a scripted poller standing in for a mailbox.
@Suite("Polling service")
struct PollingServiceTests {
    /// Messages 1...n of a source; the cursor is the last number taken.
    final class Script: Poller {
        let total: Mutex<Int>
        let failures = Mutex(0)
        let seenCursors = Mutex<[String?]>([])

        init(total: Int) { self.total = Mutex(total) }

        func poll(cursor: String?) async throws -> PollBatch {
            seenCursors.withLock { $0.append(cursor) }
            if failures.withLock({ value in
                guard value > 0 else { return false }
                value -= 1
                return true
            }) {
                throw Broken()
            }
            let from = Int(cursor ?? "0")! + 1
            let to = min(total.withLock { $0 }, from + 1)
            let events = from <= to ? (from...to).map(Self.event) : []
            return PollBatch(events: events, cursor: String(max(from - 1, to)), more: to < total.withLock { $0 })
        }

        struct Broken: Error, CustomStringConvertible {
            var description: String { "authentication failed: check the source's username and password" }
        }

        static func event(_ number: Int) -> InboundEvent {
            let message = InboundMessage(
                source: "mail", conversationId: "thread-\(number)", channel: "email", customer: CustomerInfo(email: "c\(number)@example.com"),
                messageId: "<m\(number)@example.com>", text: "message \(number)", sentAt: Date(timeIntervalSince1970: 1_800_000_000))
            return InboundEvent(
                source: "mail", kind: "imap", webhookId: message.messageId, receivedAt: Date(), body: PolledConnector.body(of: message))
        }
    }

    final class Counts: PollingObserver {
        let taken = Mutex(0)
        let failed = Mutex(0)
        func polled(source: String, taken: Int, at: Date, lag: Duration?) { self.taken.withLock { $0 += taken } }
        func pollFailed(source: String) { failed.withLock { $0 += 1 } }
    }

    static func store() throws -> (SQLiteStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-poll-\(UUID().uuidString)/s.db").path
        return (try SQLiteStore(path: path), path)
    }

    @Test("each batch commits with its cursor; a restarted poller starts where the last commit left off, and stores nothing twice")
    func cursorAndRestart() async throws {
        let (store, path) = try Self.store()
        let script = Script(total: 5)
        let counts = Counts()
        let service = PollingService(
            source: "mail", poller: script, store: store, interval: .seconds(1), observer: counts, appended: {},
            logger: Logger(label: "test"))
        #expect(try await service.pollOnce() == true)
        #expect(try await store.pollCursor(source: "mail") == "2")
        #expect(try await service.pollOnce() == true)
        try store.close()

        // A restart: a new store over the same files, the same poller script.
        let reopened = try SQLiteStore(path: path)
        let again = PollingService(
            source: "mail", poller: script, store: reopened, interval: .seconds(1), observer: counts, appended: {},
            logger: Logger(label: "test"))
        #expect(try await again.pollOnce() == false)
        #expect(script.seenCursors.withLock { $0 } == [nil, "2", "4"])
        let stored = try await reopened.pendingEvents(limit: 100).map(\.event.webhookId)
        #expect(stored == (1...5).map { "<m\($0)@example.com>" })
        #expect(counts.taken.withLock { $0 } == 5)
        // The same message polled again (a resync) is a duplicate, and the cursor still moves.
        let outcomes = try await reopened.appendPolled([Script.event(3)], source: "mail", cursor: "9", now: Date())
        #expect(outcomes == [.duplicate])
        #expect(try await reopened.pollCursor(source: "mail") == "9")
    }

    @Test("a failing source backs off and keeps trying; it never stops the service")
    func backsOff() async throws {
        let (store, _) = try Self.store()
        let script = Script(total: 1)
        script.failures.withLock { $0 = 2 }
        let counts = Counts()
        let service = PollingService(
            source: "mail", poller: script, store: store, interval: .milliseconds(50), maxBackoff: .seconds(1),
            observer: counts, appended: {}, logger: Logger(label: "test"))
        let task = Task { try await service.run() }
        let deadline = ContinuousClock.now + .seconds(30)  // generous: the whole suite shares two cores
        while counts.taken.withLock({ $0 }) < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        #expect(counts.failed.withLock { $0 } == 2)
        #expect(counts.taken.withLock { $0 } == 1)
        #expect(try await store.pendingEvents(limit: 10).count == 1)
    }
}
