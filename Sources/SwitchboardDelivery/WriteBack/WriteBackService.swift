import Curl
import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardStore

/// Tells each conversation's platform who took it: sends the write-backs the store keeps (one per acceptance of
/// a conversation from a source with write-back) and retries failures with the deliveries' backoff.
///
/// Its own outbox and its own loop: a platform that is down or slow never holds back a handoff to a desk, and
/// a write-back survives a restart. A write-back the platform refuses for good (HTTP 400, 404, 410 or 422) is
/// ended as failed and logged as an error; one for an agent without an id on the platform is skipped, logged at
/// info once. Credentials never reach the log.
public struct WriteBackService: Service {
    let store: any DeliveryStore
    let client: CurlClient
    /// By source name.
    let targets: [String: WriteBackTarget]
    let wake: WakeSignal
    let policy: DeliveryPolicy
    let observer: any WriteBackObserver
    let logger: Logger

    /// - Parameters:
    ///   - targets: each source's write-back, by source name.
    ///   - wake: signalled when acceptances are committed, so their write-backs go out at once.
    ///   - policy: timeouts, backoff and concurrency, as for deliveries.
    public init(
        store: any DeliveryStore, client: CurlClient, targets: [String: WriteBackTarget], wake: WakeSignal,
        policy: DeliveryPolicy, observer: any WriteBackObserver = NoWriteBackObserver(), logger: Logger
    ) {
        self.store = store
        self.client = client
        self.targets = targets
        self.wake = wake
        self.policy = policy
        self.observer = observer
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await writeDue() == 0 {
                        await wake.wait(timeout: try await idleWait())
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("write-back loop failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Attempts every write-back due now, at most `policy.concurrency` at once; returns how many were attempted.
    @discardableResult
    public func writeDue() async throws -> Int {
        let due = try await store.dueWriteBacks(now: Date(), limit: policy.concurrency)
        await withTaskGroup(of: Void.self) { group in
            for writeBack in due {
                group.addTask { await attempt(writeBack) }
            }
        }
        return due.count
    }

    /// How long to sleep when nothing is due: until the next retry, at most a second.
    private func idleWait() async throws -> Duration {
        guard let next = try await store.nextWriteBackDue() else { return .seconds(1) }
        let seconds = min(max(next.timeIntervalSinceNow, 0.01), 1)
        return .milliseconds(Int(seconds * 1000))
    }

    private func attempt(_ writeBack: DueWriteBack) async {
        let attempt = writeBack.attempts + 1
        var metadata: Logger.Metadata = [
            "write_back": "\(writeBack.id)", "source": "\(writeBack.source)",
            "conversation": "\(writeBack.conversationId)",
            "external_id": "\(writeBack.externalId)", "agent": "\(writeBack.agentId)", "attempt": "\(attempt)",
        ]
        guard let target = targets[writeBack.source] else {
            logger.info("source has no write_back any more; not telling the platform", metadata: metadata)
            await end(writeBack, .skipped, reason: "source has no write_back", metadata: metadata)
            observer.writeBackSkipped(source: writeBack.source, reason: "not_configured")
            return
        }
        metadata["platform"] = "\(target.platform.rawValue)"
        let outcome: Outcome
        do {
            let request: CurlRequest
            if target.platform == .matrix {
                // A notice names the agent by name: no platform id needed. The write-back id is the transaction id.
                let text = MatrixWriteBack.notice(
                    agentName: writeBack.agentName ?? writeBack.agentId, team: writeBack.agentTeam)
                request = try await target.noticeRequest(
                    room: writeBack.externalId, transaction: writeBack.id, text: text, timeout: policy.timeout)
            } else {
                guard let assignee = writeBack.platformAgentId else {
                    logger.info(
                        "agent has no id on this source's platform (platform_ids); the platform is not told who took it",
                        metadata: metadata)
                    await end(
                        writeBack, .skipped, reason: "agent has no platform id for this source", metadata: metadata)
                    observer.writeBackSkipped(source: writeBack.source, reason: "no_platform_id")
                    return
                }
                metadata["assignee"] = "\(assignee)"
                request = try target.request(
                    conversation: writeBack.externalId, assignee: assignee, timeout: policy.timeout)
            }
            outcome = Self.outcome(of: try await execute(request, target: target))
        } catch let refusal as WriteBackRefusal {
            outcome = .refused(refusal.description)
        } catch is CancellationError {
            return  // shutting down: the write-back stays pending for the next start
        } catch {
            outcome = .retry("\(error)", after: nil)
        }
        switch outcome {
        case .done(let status):
            do {
                try await store.markWriteBackDone(id: writeBack.id, at: Date())
                observer.writeBackDone(source: writeBack.source)
                logger.info(
                    "platform told who took the conversation",
                    metadata: metadata.merging(["status": "\(status)"]) { $1 })
            } catch {
                logger.error(
                    "could not record a write-back as done", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        case .refused(let reason):
            observer.writeBackFailed(source: writeBack.source)
            observer.writeBackGivenUp(source: writeBack.source)
            logger.error(
                "platform refused the write-back; not retrying",
                metadata: metadata.merging(["error": "\(reason)"]) { $1 })
            await end(writeBack, .failed, reason: reason, metadata: metadata)
        case .retry(let failure, let retryAfter):
            observer.writeBackFailed(source: writeBack.source)
            let wait = max(policy.backoff(afterAttempts: attempt), retryAfter ?? .zero)
            metadata["error"] = "\(failure)"
            metadata["retry_in"] = "\(wait)"
            logger.warning("write-back failed; will retry", metadata: metadata)
            let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
            do {
                try await store.scheduleWriteBackRetry(
                    id: writeBack.id, attempts: attempt, nextAttemptAt: Date().addingTimeInterval(seconds),
                    error: failure)
            } catch {
                logger.error(
                    "could not record a failed write-back", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        }
    }

    private func end(_ writeBack: DueWriteBack, _ status: WriteBackStatus, reason: String, metadata: Logger.Metadata)
        async
    {
        do {
            try await store.endWriteBack(id: writeBack.id, status: status, at: Date(), reason: reason)
        } catch {
            logger.error(
                "could not record the end of a write-back", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// Sends `request`, following one redirect to the same API (Front redirects a merged conversation to the one
    /// it was merged into), so the credentials never go elsewhere.
    private func execute(_ request: CurlRequest, target: WriteBackTarget) async throws -> CurlResponse {
        let response = try await client.execute(request)
        guard [301, 302, 307, 308].contains(response.status), let location = response.header("Location") else {
            return response
        }
        let url = location.hasPrefix("/") ? target.apiURL + location : location
        guard url.hasPrefix(target.apiURL + "/") else { return response }
        var redirected = request
        redirected.url = url
        return try await client.execute(redirected)
    }

    /// What to do after an answer.
    enum Outcome: Equatable {
        case done(status: Int)
        /// Never retried.
        case refused(String)
        /// Retried after the backoff, or after `after` when the platform asked for longer (`Retry-After`).
        case retry(String, after: Duration?)
    }

    /// 2xx is done. 400, 404, 410 and 422 say the request itself is wrong (an unknown conversation, an assignee
    /// the platform does not know): refused for good. Anything else (401 and 403 included, which a corrected
    /// token fixes; 409, 429, 5xx) is retried; a `Retry-After` in seconds is honoured, up to an hour.
    static func outcome(of response: CurlResponse) -> Outcome {
        switch response.status {
        case 200..<300:
            return .done(status: response.status)
        case 400, 404, 410, 422:
            return .refused("platform answered HTTP \(response.status)\(excerpt(response.body))")
        default:
            let after = response.header("Retry-After").flatMap(Int.init).map { Duration.seconds(min(max(0, $0), 3600)) }
            return .retry("platform answered HTTP \(response.status)\(excerpt(response.body))", after: after)
        }
    }

    /// `: ` and the start of the body, for the log.
    private static func excerpt(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return ": " + text
    }
}
