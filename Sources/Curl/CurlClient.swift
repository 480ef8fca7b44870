@_exported import NetworkPolicy

/// Async HTTP client over libcurl's multi interface. Thread-safe; share one per process.
///
/// All transfers run on one background thread; idle connections are kept and reused.
/// Redirects are not followed. Non-2xx responses are returned, not thrown.
///
/// ```swift
/// let client = CurlClient()
/// let response = try await client.execute(CurlRequest(method: "POST", url: url, body: bytes))
/// ```
public final class CurlClient: Sendable {
    /// The engine, or why it could not be created (then every request throws that error).
    private let multi: Result<CurlMulti, CurlError>
    private let maxResponseBytes: Int
    /// Which addresses connections may reach, checked on each resolved address as it is connected to.
    public let policy: OutboundPolicy

    /// Creates a client and starts its thread.
    /// - Parameters:
    ///   - maxResponseBytes: The largest response body accepted; a larger one fails the transfer with a
    ///     ``CurlError`` (code 63). 8 MiB by default.
    ///   - policy: Which addresses it may connect to; a refused one fails the transfer with a ``CurlError``
    ///     naming it (``CurlError/isRefusedAddress``). Link-local and metadata addresses by default.
    public init(maxResponseBytes: Int = 8 << 20, policy: OutboundPolicy = OutboundPolicy()) {
        self.maxResponseBytes = max(0, maxResponseBytes)
        self.policy = policy
        multi = Result { () throws(CurlError) in try CurlMulti() }
    }

    deinit {
        shutdown()
    }

    /// Performs `request` and returns the response, whatever its status.
    ///
    /// Cancelling the calling task aborts the transfer promptly and throws `CancellationError`.
    /// - Throws: ``CurlError`` when there is no response: connection refused, timeout, body over
    ///   `maxResponseBytes`, client shut down, ...; `CancellationError` when cancelled.
    public func execute(_ request: CurlRequest) async throws -> CurlResponse {
        let multi = try self.multi.get()
        try Task.checkCancellation()
        let transfer = try CurlTransfer(request, maxResponseBytes: maxResponseBytes, policy: policy)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if transfer.install(continuation) {
                    multi.submit(transfer)
                }
            }
        } onCancel: {
            if transfer.markCancelled() {
                multi.cancel(transfer)
            }
        }
    }

    /// Stops the client's thread; requests in flight and later ones fail with ``CurlError``.
    /// Idempotent; also done when the client is deinitialised.
    public func shutdown() {
        if case .success(let multi) = multi {
            multi.shutdown()
        }
    }
}
