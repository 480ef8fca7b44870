import Foundation
import HummingbirdTesting
import SwitchboardServer

/// Real traffic through a live server to two real desks, driven once for the contract tests: every
/// kind of delivery, and handoffs that carry each optional part of schema version 2.
struct ContractTraffic: Sendable {
    /// A new customer's refund, offered to ana: empty history.
    var first: DeskReceiver.Delivery
    /// The customer's next message in that conversation, for ana.
    var message: DeskReceiver.Delivery
    /// The same customer by email after ana resolved the first conversation with a promise: history
    /// with agent notes, its summary, the open promise.
    var returning: DeskReceiver.Delivery
    /// The notice ana gets when she transfers the email conversation to ben.
    var released: DeskReceiver.Delivery
    /// The email conversation at ben's desk: ana's transfer note, `moved_from`, rule `named`.
    var transferred: DeskReceiver.Delivery
    /// The follow-up of ana's promise when it falls due: `conversation.follow_up`, Switchboard's message.
    var followUp: DeskReceiver.Delivery
    /// Everything both desks received, in arrival order per desk, named `ana-1-handoff` and so on.
    var all: [(name: String, body: [UInt8])]

    static func drive() async throws -> ContractTraffic {
        let ana = try await TestDesk.start()
        let ben = try await TestDesk.start()
        let environment = try TestEnvironment(agents: [
            TestEnvironment.agent(
                "ana", name: "Ana Ruiz", skills: "{billing: 4, general: 3}", authority: "{refund_limit: 500}", desk: ana),
            TestEnvironment.agent("ben", name: "Ben Okafor", skills: "{general: 2}", desk: ben),
        ])
        defer { environment.remove() }
        do {
            let traffic = try await environment.application().test(.live) { client in
                try await run(client, environment: environment, ana: ana, ben: ben)
            }
            await ana.stop()
            await ben.stop()
            return traffic
        } catch {
            await ana.stop()
            await ben.stop()
            throw error
        }
    }

    private static func run(
        _ client: some TestClientProtocol, environment: TestEnvironment, ana: TestDesk, ben: TestDesk
    ) async throws -> ContractTraffic {
        let now = Date()
        func say(_ conversation: String, channel: String = "chat", _ id: String, _ text: String, at: Date) async throws {
            let body = TestEnvironment.body(
                conversation: conversation, channel: channel, customerId: "u-7", email: "li@example.com", name: "Li Wei",
                messageId: id, text: text, sentAt: iso(at))
            let response = try await client.postInbound(environment, body: body)
            guard response.status == .accepted else { throw TestFailure("inbound \(id) answered \(response.status)") }
        }
        func expectOK(_ response: TestResponse, _ what: String) throws {
            guard response.status == .ok else { throw TestFailure("\(what) answered \(response.status): \(response.text)") }
        }

        try await say("c-1", "m-1", "I was charged twice, I want a refund of $300", at: now.addingTimeInterval(-120))
        let first = try await ana.waitFor("the first handoff") { $0.value("kind") as? String == "handoff" }
        try await say("c-1", "m-2", "Order 1234, if that helps", at: now.addingTimeInterval(-60))
        let message = try await ana.waitFor("the later message") { $0.value("kind") as? String == "message" }

        let conversationId = try string(first, "conversation.id")
        try expectOK(try await client.admin("/v1/handoffs/\(try string(first, "handoff_id"))/accept", method: .post), "accept")
        // Due in four to five seconds (dates travel in whole seconds): after the next handoff is built, and
        // still during the test.
        let resolve = """
            {"outcome": "refunded", "notes": "Refunded $300 to the card; the bank takes 3-5 days",
             "follow_up": {"due": "\(iso(Date().addingTimeInterval(5)))", "what": "confirm the refund posted"}}
            """
        try expectOK(
            try await client.admin("/v1/conversations/\(conversationId)/resolve", method: .post, json: resolve), "resolve")

        try await say("mail-1", channel: "email", "e-1", "Any news on my order?", at: Date())
        let returning = try await ana.waitFor("the returning customer's handoff") {
            $0.value("kind") as? String == "handoff" && $0.value("conversation.external_id") as? String == "mail-1"
        }
        try expectOK(
            try await client.admin("/v1/handoffs/\(try string(returning, "handoff_id"))/accept", method: .post), "accept")
        try expectOK(
            try await client.admin(
                "/v1/conversations/\(try string(returning, "conversation.id"))/transfer", method: .post,
                json: #"{"agent": "ben", "notes": "Ben knows the courier; the parcel is at the depot"}"#),
            "transfer")
        let released = try await ana.waitFor("the release notice") { $0.value("kind") as? String == "released" }
        let transferred = try await ben.waitFor("the transferred handoff") { $0.value("kind") as? String == "handoff" }
        let followUp = try await ana.waitFor("the promise's follow-up", timeout: .seconds(20)) {
            $0.value("conversation.follow_up") != nil
        }

        var all: [(name: String, body: [UInt8])] = []
        for (agent, desk) in [("ana", ana), ("ben", ben)] {
            for (index, delivery) in desk.deliveries.enumerated() {
                all.append(("\(agent)-\(index + 1)-\(delivery.value("kind") as? String ?? "unknown")", delivery.body))
            }
        }
        return ContractTraffic(
            first: first, message: message, returning: returning, released: released, transferred: transferred,
            followUp: followUp, all: all)
    }

    private static func string(_ delivery: DeskReceiver.Delivery, _ path: String) throws -> String {
        guard let value = delivery.value(path) as? String else { throw TestFailure("no \(path) in \(delivery.json)") }
        return value
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

extension TestDesk {
    /// The first delivery that matches, waiting for it up to `timeout`.
    func waitFor(
        _ what: String, timeout: Duration = .seconds(10), where matches: (DeskReceiver.Delivery) -> Bool
    ) async throws -> DeskReceiver.Delivery {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = deliveries.first(where: matches) { return found }
            guard ContinuousClock.now < deadline else {
                let kinds = deliveries.map { $0.value("kind") as? String ?? "?" }
                throw TestFailure("no \(what) within \(timeout); the desk received \(kinds)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
