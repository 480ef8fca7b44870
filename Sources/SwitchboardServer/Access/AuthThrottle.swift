import Foundation
import Hummingbird
import Synchronization
import SwitchboardStore

/// Failed authentication, limited per client address and per presented secret's first characters: past
/// `maxFailures` in a window of `window` seconds, a key is refused with 429 and `Retry-After` until the window
/// ends, without its credentials being looked at. Counts are kept in the store, so instances sharing one
/// count together; each instance remembers the keys it refuses, so a successful call is never slowed (its
/// credentials are checked first, and nothing is read or written for it).
final class AuthThrottle: Sendable {
    let maxFailures: Int
    let window: TimeInterval
    private let store: any AccessStore
    private let metrics: RoutingMetrics
    /// Keys refused, and until when.
    private let refused = Mutex<[String: Date]>([:])

    init(maxFailures: Int, window: TimeInterval, store: any AccessStore, metrics: RoutingMetrics) {
        self.maxFailures = maxFailures
        self.window = window
        self.store = store
        self.metrics = metrics
    }

    /// The keys a failure counts against: the client's address, and the first characters of what it presented.
    static func keys(address: String?, presented: String) -> [String] {
        var keys: [String] = []
        if let address, !address.isEmpty { keys.append("ip:" + address) }
        let prefix = presented.prefix(6)
        if !prefix.isEmpty { keys.append("secret:" + prefix) }
        return keys
    }

    /// A 429 when any of `keys` is refused now; call it before looking at the credentials.
    func check(_ keys: [String], kind: String, now: Date = Date()) throws {
        let until = refused.withLock { refused in keys.compactMap { refused[$0] }.filter { $0 > now }.max() }
        if let until {
            metrics.authThrottled(kind: kind)
            throw Self.tooMany(until: until, now: now)
        }
    }

    /// Counts a failure against `keys`; throws 429 when one of them is past the limit now.
    func failed(_ keys: [String], kind: String, now: Date = Date()) async throws {
        metrics.authFailed(kind: kind)
        let windowStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / window).rounded(.down) * window)
        let counts = try await store.countAuthFailure(keys: keys, windowStart: windowStart)
        let over = counts.filter { $0.value > maxFailures }.map(\.key)
        guard !over.isEmpty else { return }
        let until = windowStart.addingTimeInterval(window)
        refused.withLock { refused in
            refused = refused.filter { $0.value > now }
            for key in over { refused[key] = until }
        }
        metrics.authThrottled(kind: kind)
        throw Self.tooMany(until: until, now: now)
    }

    /// Seconds to wait, whole, at least 1.
    static func retryAfter(until: Date, now: Date) -> Int { max(1, Int(until.timeIntervalSince(now).rounded(.up))) }

    static func tooMany(until: Date, now: Date) -> HTTPError {
        let seconds = retryAfter(until: until, now: now)
        return HTTPError(
            .tooManyRequests, headers: [.retryAfter: "\(seconds)"],
            message: "too many failed authentications from this address or with this secret: try again in \(seconds) s")
    }
}
