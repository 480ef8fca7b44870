import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock; the sender and the desk run in this one process, so their times compare.
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// CPU time used so far: this process's (user + system), and the whole machine's busy time from /proc/stat,
/// in seconds, so that a step can say how busy the machine and the bench itself were.
struct CPUTimes {
    var bench: Double
    var machineBusy: Double
    var machineTotal: Double

    static func now() -> CPUTimes {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let bench = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
        // cpu  user nice system idle iowait irq softirq steal ...; in clock ticks (100 a second on Linux).
        let line = ((try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? "").split(separator: "\n").first ?? ""
        let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        let total = ticks.reduce(0, +) / 100
        let idle = ticks.count > 4 ? (ticks[3] + ticks[4]) / 100 : 0
        return CPUTimes(bench: bench, machineBusy: total - idle, machineTotal: total)
    }
}

/// What one end-to-end step saw, written by the sender (send times, answers) and the desk (arrivals,
/// accepts), read by the progress line and the report. Times are ``monotonicNanoseconds()``; 0 is "not yet".
final class EndToEndRecord: Sendable {
    struct State {
        /// Per webhook: when it was handed to curl, and when its answer came back.
        var sentAt: [UInt64]
        var answeredAt: [UInt64]
        /// Per conversation: when its first handoff reached the desk.
        var handoffAt: [UInt64]
        /// Per conversation: how many distinct handoffs (offers) reached the desk.
        var handoffs: [UInt16]
        /// Per webhook: when a follow-up reached the desk as a `message` delivery.
        var messageAt: [UInt64]
        var sent = 0
        var acknowledged = 0
        /// Answers other than 202, by status.
        var refused: [Int: Int] = [:]
        var transportErrors = 0
        var firstError: String?
        var handedOff = 0
        var lastHandoffAt: UInt64 = 0
        var deliveries = 0
        /// The same handoff id again (a delivery retried).
        var redeliveries = 0
        var released: [String: Int] = [:]
        var badSignatures = 0
        var unrecognised = 0
        var seenHandoffIds: Set<String> = []
        var accepted = 0
        var acceptRefused: [Int: Int] = [:]
        var acceptErrors = 0
    }

    let state: Mutex<State>

    init(webhooks: Int, conversations: Int) {
        state = Mutex(
            State(
                sentAt: Array(repeating: 0, count: webhooks), answeredAt: Array(repeating: 0, count: webhooks),
                handoffAt: Array(repeating: 0, count: conversations),
                handoffs: Array(repeating: 0, count: conversations), messageAt: Array(repeating: 0, count: webhooks)))
    }

    /// Webhooks `range` were handed to curl at `time`.
    func sent(_ range: Range<Int>, at time: UInt64) {
        state.withLock { state in
            for index in range { state.sentAt[index] = time }
            state.sent += range.count
        }
    }

    /// The server's answer to webhook `index` at `time`: a status, or a transport error.
    func answered(_ index: Int, status: Int?, error: String? = nil, at time: UInt64) {
        state.withLock { state in
            state.answeredAt[index] = time
            switch status {
            case 202?: state.acknowledged += 1
            case let status?: state.refused[status, default: 0] += 1
            case nil:
                state.transportErrors += 1
                if state.firstError == nil { state.firstError = error }
            }
        }
    }

    /// A handoff of `conversation` reached the desk at `time`; returns whether its handoff id is new.
    func handoff(conversation: Int, handoffId: String, at time: UInt64) -> Bool {
        state.withLock { state in
            state.deliveries += 1
            guard state.seenHandoffIds.insert(handoffId).inserted else {
                state.redeliveries += 1
                return false
            }
            guard conversation >= 0, conversation < state.handoffAt.count else {
                state.unrecognised += 1
                return true
            }
            if state.handoffAt[conversation] == 0 {
                state.handoffAt[conversation] = time
                state.handedOff += 1
                state.lastHandoffAt = max(state.lastHandoffAt, time)
            }
            state.handoffs[conversation] &+= 1
            return true
        }
    }

    /// A follow-up (webhook `index`) reached the desk as a message delivery at `time`.
    func message(webhook index: Int, at time: UInt64) {
        state.withLock { state in
            state.deliveries += 1
            guard index >= 0, index < state.messageAt.count else {
                state.unrecognised += 1
                return
            }
            if state.messageAt[index] == 0 { state.messageAt[index] = time } else { state.redeliveries += 1 }
        }
    }

    /// Another kind of delivery: a release notice (`moved`, `withdrawn`, `lapsed`), or something not understood.
    func other(released reason: String?) {
        state.withLock { state in
            state.deliveries += 1
            if let reason { state.released[reason, default: 0] += 1 } else { state.unrecognised += 1 }
        }
    }

    func badSignature() {
        state.withLock { $0.badSignatures += 1 }
    }

    /// The server's answer to the desk's accept.
    func acceptAnswered(status: Int?) {
        state.withLock { state in
            switch status {
            case 200?: state.accepted += 1
            case let status?: state.acceptRefused[status, default: 0] += 1
            case nil: state.acceptErrors += 1
            }
        }
    }

    /// How many of the conversations sent so far have no handoff yet although they were sent at least
    /// `limit` nanoseconds before `now`, plus those handed off after at least `limit`: the slow ones so far.
    func slow(limit: UInt64, now: UInt64, conversationStarts: [Int]) -> Int {
        state.withLock { state in
            var slow = 0
            for (conversation, webhook) in conversationStarts.enumerated() {
                let sent = state.sentAt[webhook]
                guard sent != 0 else { break }  // sent in order: none after this one was sent
                let arrived = state.handoffAt[conversation]
                if arrived == 0 ? now >= sent + limit : arrived >= sent + limit { slow += 1 }
            }
            return slow
        }
    }
}
