import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardConfig
import SwitchboardConnectors
import Testing

/// A Front source through real HTTP: application webhooks signed with the app secret over the
/// millisecond timestamp and the body.
@Suite("Front end to end", .serialized)
struct FrontEndToEndTests {
    static let appSecret = "b2f1c4d3e5a6978812345678abcdef90"

    static func post(
        _ client: some TestClientProtocol, _ body: String, timestamp: Date = Date(), secret: String = appSecret,
        challenge: String? = nil
    ) async throws -> TestResponse {
        let stamp = String(Int64(timestamp.timeIntervalSince1970 * 1000))
        let mac = Signature.hmacSHA256(key: Array(secret.utf8), [Array("\(stamp):".utf8), Array(body.utf8)])
        var headers: HTTPFields = [
            .contentType: "application/json", HTTPField.Name("X-Front-Request-Timestamp")!: stamp,
            HTTPField.Name("X-Front-Signature")!: Signature.base64(mac),
        ]
        if let challenge { headers[HTTPField.Name("X-Front-Challenge")!] = challenge }
        return try await client.execute(
            uri: "/v1/inbound/fr", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// An `inbound_received` application webhook around an event preview, as Front's Events reference shapes it.
    static func inbound(eventId: String, type: String = "inbound_received", text: String = "my parcel is late")
        -> String
    {
        #"{"type":"\#(type)","authorization":{"id":"cmp_abc"},"payload":{"_links":{"self":"https://yourCompany.api.frontapp.com/events/\#(eventId)"},"id":"\#(eventId)","type":"inbound","emitted_at":1795946700.25,"conversation":{"id":"cnv_55c8c149","subject":"Where is my parcel?","status":"unassigned","recipient":{"handle":"Ana@Example.com","role":"from"}},"source":{"_meta":{"type":"inboxes"},"data":[{"id":"inb_55c8c149","name":"Support"}]},"target":{"_meta":{"type":"message"},"data":{"id":"msg_\#(eventId)","type":"email","is_inbound":true,"created_at":1795946700.25,"blurb":"\#(text)","author":null,"recipients":[{"handle":"Ana@Example.com","role":"from","name":"Ana Ruiz"},{"handle":"support@company.example","role":"to"}],"text":"\#(text)"}}}}"#
    }

    @Test("the challenge answered, a routed email with the web history, a retried event, an ignored type, bad requests")
    func front() async throws {
        let desk = try await TestDesk.start()
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        environment.configuration.sources.append(SourceSettings(name: "fr", kind: .front, secret: Self.appSecret))
        defer { environment.remove() }
        try await environment.application().test(.live) { [environment] client in
            let sync = try await Self.post(
                client, #"{"type":"sync","authorization":{"id":"cmp_abc"}}"#, challenge: "c7d8e9f0")
            #expect(sync.status == .ok)
            #expect(sync.json["challenge"] as? String == "c7d8e9f0")

            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "ana@example.com", messageId: "m-1", text: "hello")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let first = try #require(await desk.waitForDeliveries(1).first)
            let webConversation = try #require(first.value("conversation.id") as? String)

            let event = Self.inbound(eventId: "evt_0001")
            #expect(try await Self.post(client, event).status == .accepted)
            let retry = try await Self.post(client, event, timestamp: Date().addingTimeInterval(-5))
            #expect(retry.status == .ok)
            #expect(retry.json["status"] as? String == "duplicate")

            let deliveries = await desk.waitForDeliveries(2)
            try #require(deliveries.count == 2)
            let handoff = deliveries[1]
            #expect(handoff.value("conversation.source") as? String == "fr")
            #expect(handoff.value("conversation.external_id") as? String == "cnv_55c8c149")
            #expect(handoff.value("conversation.channel") as? String == "email")
            #expect(handoff.value("conversation.messages.0.text") as? String == "my parcel is late")
            let identities = (handoff.value("customer.identities") as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(identities.sorted() == ["ana@example.com", "web:u-42"])
            let history = handoff.value("history") as? [[String: Any]] ?? []
            #expect(history.map { $0["id"] as? String } == [webConversation])

            let outbound = try await Self.post(client, Self.inbound(eventId: "evt_0002", type: "outbound_sent"))
            #expect(outbound.status == .ok)
            #expect(outbound.json["status"] as? String == "ignored")
            #expect(
                try await client.metrics().value(
                    "switchboard_inbound_ignored_total", ["source": "fr", "type": "outbound_sent"]) == 1)

            let stale = try await Self.post(
                client, Self.inbound(eventId: "evt_0003"), timestamp: Date().addingTimeInterval(-600))
            #expect(stale.status == .unauthorized)
            #expect(stale.errorMessage == "timestamp outside tolerance")
            let forged = try await Self.post(client, Self.inbound(eventId: "evt_0004"), secret: "not-the-secret")
            #expect(forged.status == .unauthorized)
            let malformed = try await Self.post(
                client, Self.inbound(eventId: "evt_0005").replacingOccurrences(of: #""id":"cnv_55c8c149","#, with: ""))
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.errorMessage == "missing required field: payload.conversation.id")
            let notJSON = try await Self.post(client, "not json")
            #expect(notJSON.status == .badRequest)
        }
        await desk.stop()
    }
}
