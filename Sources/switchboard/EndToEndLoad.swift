import Curl
import Foundation
import StandardWebhooks
import SwitchboardBench
import Synchronization

/// The open-loop load of an end-to-end step: every webhook of a ``LoadPlan`` signed in advance, then sent
/// at its planned time over libcurl (``CurlClient``, many requests in flight), whatever the server answered
/// before, round-robin over the servers. Records each send time and answer in an ``EndToEndRecord``.
struct EndToEndLoad: Sendable {
    let plan: LoadPlan
    let requests: [CurlRequest]

    /// How well the sender kept to the schedule.
    struct Outcome: Sendable {
        /// First and last send, on the monotonic clock.
        var firstSend: UInt64
        var lastSend: UInt64
        /// How late sends were against their planned time, in milliseconds.
        var lateness: LatencySummary?
        /// Stopped before the end of the plan (a hopeless step of a search, or an error).
        var stoppedEarly: Bool
    }

    /// Signs every webhook of `plan` for source `web`. Webhook `k` carries the timestamp of its planned
    /// second, so a long run stays within the server's tolerance.
    init(plan: LoadPlan, nonce: String, secret: WebhookSecret, servers: [String]) {
        self.plan = plan
        let signer = WebhookSigner(secret: secret)
        let start = Int(Date().timeIntervalSince1970)
        let urls = servers.map { "\($0)/v1/inbound/web" }
        var requests: [CurlRequest] = []
        requests.reserveCapacity(plan.webhooks.count)
        for (index, webhook) in plan.webhooks.enumerated() {
            let body = Array(Self.body(webhook, index: index, nonce: nonce).utf8)
            let id = "msg_e2e_\(nonce)_\(index)"
            let timestamp = start + Int(webhook.offset / 1_000_000_000)
            let signature = signer.signature(id: id, timestamp: timestamp, body: body)
            requests.append(
                CurlRequest(
                    method: "POST", url: urls[index % urls.count],
                    headers: [
                        HTTPHeader("Content-Type", "application/json"), HTTPHeader(WebhookHeaderName.id, id),
                        HTTPHeader(WebhookHeaderName.timestamp, "\(timestamp)"),
                        HTTPHeader(WebhookHeaderName.signature, signature),
                    ], body: body, timeout: .seconds(60)))
        }
        self.requests = requests
    }

    /// The `standard` payload of one webhook. New conversations ask about a parcel (the general route);
    /// authority ones ask for a $300 refund (refunds: billing 3 and refund_limit >= 300); returning customers
    /// come back about a parcel; follow-ups ask for news. Every third customer is gold.
    static func body(_ webhook: LoadPlan.Webhook, index: Int, nonce: String) -> String {
        let text: String
        switch webhook.kind {
        case .new: text = "Where is my parcel? Order \(webhook.conversation)"
        case .authority: text = "I was charged twice, I want a refund of $300"
        case .returning: text = "Hello again, my new order \(webhook.conversation) has not arrived"
        case .followUp: text = "Any news on this? (\(index))"
        }
        let customer = webhook.customer
        return """
            {"conversation_id":"e2e-\(nonce)-\(webhook.conversation)","channel":"chat","customer":{"id":"u-\(nonce)-\(customer)",\
            "name":"Customer \(customer)","email":"c\(customer)-\(nonce)@example.com"},"message":{"id":"m-\(nonce)-\(index)",\
            "text":"\(text)"},"attributes":{"tier":"\(customer % 3 == 0 ? "gold" : "silver")","language":"en"}}
            """
    }

    /// Sends the plan from now on. Each due webhook is handed to curl at once, without waiting for earlier
    /// answers; the loop sleeps until the next one is due. Returns once every webhook is answered (or, after
    /// `shouldStop` said so, once those sent are).
    func run(client: CurlClient, record: EndToEndRecord, shouldStop: @escaping @Sendable () -> Bool) async -> Outcome {
        let start = monotonicNanoseconds()
        var lateness: [Double] = []
        lateness.reserveCapacity(requests.count)
        var stoppedEarly = false
        var lastSend = start
        await withDiscardingTaskGroup { group in
            var next = 0
            while next < requests.count {
                if shouldStop() {
                    stoppedEarly = true
                    break
                }
                let now = monotonicNanoseconds()
                let due = plan.due(at: now - start, from: next)
                if due > next {
                    record.sent(next..<due, at: now)
                    lastSend = now
                    for index in next..<due {
                        lateness.append(Double(now - start - plan.webhooks[index].offset) / 1e6)
                        let request = requests[index]
                        group.addTask {
                            do {
                                let status = try await client.execute(request).status
                                record.answered(index, status: status, at: monotonicNanoseconds())
                            } catch {
                                record.answered(index, status: nil, error: "\(error)", at: monotonicNanoseconds())
                            }
                        }
                    }
                    next = due
                } else {
                    let wait = start + plan.webhooks[next].offset - now
                    try? await Task.sleep(for: .nanoseconds(wait))
                }
            }
        }
        return Outcome(firstSend: start, lastSend: lastSend, lateness: LatencySummary(lateness), stoppedEarly: stoppedEarly)
    }

    /// The machine's ceiling with this sender: `GET /health` (no work) closed loop, `concurrency` requests
    /// in flight spread over the servers, for `seconds`. Returns answers (200) per second.
    static func ceiling(client: CurlClient, servers: [String], seconds: Double, concurrency: Int = 64) async -> Double {
        let answered = SharedCounter()
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        await withDiscardingTaskGroup { group in
            for worker in 0..<concurrency {
                let request = CurlRequest(url: "\(servers[worker % servers.count])/health", timeout: .seconds(10))
                group.addTask {
                    while ContinuousClock.now < end {
                        if (try? await client.execute(request))?.status == 200 {
                            answered.add()
                        }
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        let secondsTaken = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(answered.value) / secondsTaken
    }
}
