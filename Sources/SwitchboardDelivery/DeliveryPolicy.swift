/// How deliveries are attempted and retried.
public struct DeliveryPolicy: Sendable {
    /// Time allowed for one POST to a desk.
    public var timeout: Duration
    /// Wait before the first retry; doubles with each failure.
    public var initialBackoff: Duration
    /// The longest wait between two attempts.
    public var maxBackoff: Duration
    /// How many deliveries are attempted at once (each desk's own order kept: one of a handoff at a time).
    public var concurrency: Int

    public init(
        timeout: Duration = .seconds(10), initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(300),
        concurrency: Int = 64
    ) {
        self.timeout = timeout
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.concurrency = concurrency
    }

    /// The wait after `attempts` failed attempts: exponential, capped, with ±20 % jitter so that a
    /// desk coming back is not hit by every retry at once.
    public func backoff(afterAttempts attempts: Int, jitter: Double = Double.random(in: 0.8...1.2)) -> Duration {
        let base = initialBackoff * Int(1 << min(max(attempts - 1, 0), 20))
        let capped = min(base, maxBackoff)
        return capped * jitter
    }
}
