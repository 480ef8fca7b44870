import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StandardWebhooks
import SwitchboardConfig
import SwitchboardConnectors
import SwitchboardHostile
import Synchronization
import Testing

/// Hostile requests to a live server, for every source kind, signed as the platform signs (so that
/// they reach the parsers): each gets a clear 4xx, or is stored, within a bound; `/health` answers
/// within a second throughout; and a normal webhook sent right after reaches its desk.
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    /// How long one hostile request may take to be answered (a debug build, beside other tests).
    static let answerBound = Duration.seconds(5)
    /// How long `/health` may take while they are sent.
    static let healthBound = Duration.seconds(1)

    /// A source kind: its settings, how a body is signed for it, a normal event, and the hostile
    /// bodies of its own beside those every kind gets.
    struct Kind: Sendable, CustomTestStringConvertible {
        var source: SourceSettings?
        var sign: @Sendable (_ environment: TestEnvironment, _ body: [UInt8]) -> (uri: String, headers: HTTPFields)
        var normal: @Sendable () -> [UInt8]
        var own: [(label: String, body: [UInt8])] = []
        var testDescription: String { source?.kind.rawValue ?? "standard" }
    }

    static let kinds: [Kind] = [
        Kind(
            source: nil, sign: { environment, body in ("/v1/inbound/web", environment.signedHeaders(body)) },
            normal: { TestEnvironment.body(conversation: "c-after", messageId: "m-after", text: "my parcel is late") }),
        Kind(
            source: SourceSettings(name: "sl", kind: .slack, secret: SlackEndToEndTests.signingSecret),
            sign: { _, body in
                let stamp = String(Int(Date().timeIntervalSince1970))
                let mac = Signature.hmacSHA256(
                    key: Array(SlackEndToEndTests.signingSecret.utf8), [Array("v0:\(stamp):".utf8), body])
                return (
                    "/v1/inbound/sl",
                    [
                        .contentType: "application/json", HTTPField.Name("X-Slack-Request-Timestamp")!: stamp,
                        HTTPField.Name("X-Slack-Signature")!: "v0=" + Signature.hex(mac),
                    ]
                )
            },
            normal: { Array(SlackConnectorFixture.message(text: "my parcel is late", eventId: "EvAfter").utf8) }),
        Kind(
            source: SourceSettings(name: "zd", kind: .zendesk, secret: ZendeskEndToEndTests.signingSecret),
            sign: { _, body in
                let stamp = Date().formatted(.iso8601)
                let mac = Signature.hmacSHA256(key: Array(ZendeskEndToEndTests.signingSecret.utf8), [Array(stamp.utf8), body])
                return (
                    "/v1/inbound/zd",
                    [
                        .contentType: "application/json", HTTPField.Name("X-Zendesk-Webhook-Signature-Timestamp")!: stamp,
                        HTTPField.Name("X-Zendesk-Webhook-Signature")!: Signature.base64(mac),
                    ]
                )
            },
            normal: { Array(ZendeskFixture.trigger(comment: "my parcel is late").utf8) }),
        Kind(
            source: SourceSettings(name: "ic", kind: .intercom, secret: IntercomEndToEndTests.clientSecret),
            sign: { _, body in
                let mac = Signature.hmacSHA1(key: Array(IntercomEndToEndTests.clientSecret.utf8), [body])
                return (
                    "/v1/inbound/ic",
                    [.contentType: "application/json", HTTPField.Name("X-Hub-Signature")!: "sha1=" + Signature.hex(mac)]
                )
            },
            normal: { Array(IntercomFixture.notification(topic: "conversation.user.created", id: "notif_after").utf8) }),
        Kind(
            source: SourceSettings(name: "fr", kind: .front, secret: FrontEndToEndTests.appSecret),
            sign: { _, body in
                let stamp = String(Int64(Date().timeIntervalSince1970 * 1000))
                let mac = Signature.hmacSHA256(key: Array(FrontEndToEndTests.appSecret.utf8), [Array("\(stamp):".utf8), body])
                return (
                    "/v1/inbound/fr",
                    [
                        .contentType: "application/json", HTTPField.Name("X-Front-Request-Timestamp")!: stamp,
                        HTTPField.Name("X-Front-Signature")!: Signature.base64(mac),
                    ]
                )
            },
            normal: { Array(FrontEndToEndTests.inbound(eventId: "evt_after").utf8) }),
        Kind(
            source: SourceSettings(name: "hs", kind: .helpscout, secret: HelpScoutEndToEndTests.secret),
            sign: { _, body in
                let mac = Signature.hmacSHA1(key: Array(HelpScoutEndToEndTests.secret.utf8), [body])
                return (
                    "/v1/inbound/hs",
                    [
                        .contentType: "application/json", HTTPField.Name("X-HelpScout-Event")!: "convo.created",
                        HTTPField.Name("X-HelpScout-Signature")!: Signature.base64(mac),
                    ]
                )
            },
            normal: { Array(HelpScoutFixture.conversation(threads: [HelpScoutFixture.first]).utf8) }),
        Kind(
            source: SourceSettings(name: "mail", kind: .email, secret: "", token: EmailEndToEndTests.token),
            sign: { _, _ in ("/v1/inbound/mail/\(EmailEndToEndTests.token)", [.contentType: "application/json"]) },
            normal: { Array(EmailEndToEndTests.email(messageID: "pm-after", ownId: "<after@example.com>", text: "my parcel is late").utf8) },
            own: [
                // Any customer can send this; the platform forwards it with valid credentials.
                ("an email whose HTML opens 60,000 tags and closes none", ParserWorkload.postmark(html: .repeating("<a", toFill: 120_000))),
                ("an email whose subject is 200,000 =?", Array(#"{"From":"ana@example.com","MessageID":"pm-x","Subject":""#.utf8)
                    + .repeating("=?", toFill: 400_000) + Array(#"","TextBody":"hi"}"#.utf8)),
            ]),
        Kind(
            source: SourceSettings(
                name: "tw", kind: .twilio, secret: TwilioEndToEndTests.authToken, publicURL: TwilioEndToEndTests.publicURL),
            sign: { _, body in
                // Signed as Twilio signs the parameters the server will read; a body that is no form, by the URL alone.
                let parameters = (try? FormBody(parsing: body).pairs) ?? []
                let signed = TwilioEndToEndTests.publicURL + parameters.sorted { $0.name < $1.name }.map { $0.name + $0.value }.joined()
                let mac = Signature.hmacSHA1(key: Array(TwilioEndToEndTests.authToken.utf8), [Array(signed.utf8)])
                return (
                    "/v1/inbound/tw",
                    [
                        .contentType: "application/x-www-form-urlencoded",
                        HTTPField.Name("X-Twilio-Signature")!: Signature.base64(mac),
                    ]
                )
            },
            normal: { Array(TwilioFixture.form(TwilioFixture.messageAdded(body: "my parcel is late")).utf8) },
            own: [
                ("a form of 60,000 distinct names", .repeatingNumbered("n", "=1&", toFill: 480_000)),
                ("a form of invalid escapes", .repeating("%ZZ=%", toFill: 100_000)),
            ]),
    ]

    /// What every kind gets: deep nesting, invalid UTF-8, numbers out of range, a body cut half-way.
    static func common(_ kind: Kind) -> [(label: String, body: [UInt8])] {
        let depth = 10_000
        let normal = kind.normal()
        return [
            ("JSON nested 10,000 levels", Array(#"{"a":"#.utf8) + [UInt8](repeating: 91, count: depth) + [UInt8](repeating: 93, count: depth) + [125]),
            ("invalid UTF-8", Array(#"{"text": "bad "#.utf8) + [0xFF, 0xFE, 0xC3, 0x28] + Array(#"", "id": "x"}"#.utf8)),
            ("invalid UTF-8 in the event", normal.prefix(normal.count / 2) + [0xC0, 0x80, 0xED, 0xA0, 0x80] + normal.suffix(normal.count / 2)),
            ("numbers out of range", Array(#"{"id": 1e999, "ts": -1e400, "n": 123456789012345678901234567890123456789}"#.utf8)),
            ("a body that stops half-way", Array(normal.prefix(normal.count / 2))),
        ]
    }

    @Test("hostile bodies and a 1 MiB header: a clear answer in time, /health throughout, a normal webhook after", arguments: kinds)
    func hostile(kind: Kind) async throws {
        let desk = try await TestDesk.start()
        var setup = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", capacity: "{chat: 50, email: 50, sms: 50}", desk: desk)
        ])
        if let source = kind.source { setup.configuration.sources.append(source) }
        let environment = setup
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let port = try #require(client.port)
            let watch = HealthWatch()
            let watching = Task { await watch.run(client) }
            var stored = 0
            for (label, body) in Self.common(kind) + kind.own {
                let (uri, headers) = kind.sign(environment, body)
                let started = ContinuousClock.now
                let response = try await Self.send(port: port, uri: uri, headers: headers, body: body)
                let took = started.duration(to: .now)
                #expect(took < Self.answerBound, "\(label): answered after \(took)")
                let status = try #require(response?.head.status, "\(label): the connection was closed without an answer")
                let message = response?.body.map { String(buffer: $0) } ?? ""
                #expect((200..<500).contains(status.code), "\(label): \(status) \(message)")
                if (400..<500).contains(status.code) {
                    #expect(message.contains(#""message""#), "\(label): a \(status.code) that names no problem: \(message)")
                }
                if status == .accepted { stored += 1 }
            }
            // A 1 MiB header line: refused or dropped by the HTTP server, never a stall.
            let normal = kind.normal()
            var (uri, headers) = kind.sign(environment, normal)
            headers[HTTPField.Name("X-Padding")!] = String(repeating: "a", count: 1 << 20)
            let started = ContinuousClock.now
            let padded = try? await Self.send(port: port, uri: uri, headers: headers, body: normal)
            #expect(started.duration(to: .now) < Self.answerBound)
            #expect(padded?.head.status != .accepted, "a 1 MiB header was accepted")

            // A body that stops half-way at the HTTP level: fewer bytes than Content-Length, then the end of the
            // connection. The server drops the request; nothing is stored, nothing waits for the rest.
            let cut = try Self.sendCut(port: port, uri: uri, body: normal)
            #expect(cut.took < Self.answerBound, "a request cut half-way held its connection for \(cut.took)")
            #expect(!cut.answer.contains(" 202 "), "a request cut half-way was accepted: \(cut.answer)")

            watching.cancel()
            let slowest = await watching.value
            #expect(slowest < Self.healthBound, "/health took \(slowest) while hostile requests were answered")
            #expect(watch.answered.withLock { $0 } > 0)

            // Right after: a normal webhook of the kind is accepted and handed off (or is a duplicate of a
            // hostile variant of itself that was read and stored, and so handed off already).
            (uri, headers) = kind.sign(environment, normal)
            let after = try #require(try await Self.send(port: port, uri: uri, headers: headers, body: normal))
            let duplicate = after.head.status == .ok && after.body.map { String(buffer: $0) }?.contains("duplicate") == true
            #expect(after.head.status == .accepted || (duplicate && stored > 0), "\(after.head.status)")
            if after.head.status == .accepted { stored += 1 }
            let deliveries = await desk.waitForDeliveries(stored, timeout: .seconds(20))
            #expect(deliveries.count == stored)
            let source = kind.source?.name ?? "web"
            #expect(deliveries.contains { $0.value("conversation.source") as? String == source })
        }
        await desk.stop()
    }

    /// One request on a connection of its own (a hostile one may end its connection); nil when the
    /// server closed the connection without answering.
    static func send(port: Int, uri: String, headers: HTTPFields, body: [UInt8]) async throws -> TestClient.Response? {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20))) { client in
            try? await client.execute(.init(uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)))
        }
    }
}

extension HostileInputTests {
    /// Sends a request line, headers announcing all of `body` and only half of it, then ends the
    /// connection's writing side; returns what came back before the server closed it, and how long that took.
    static func sendCut(port: Int, uri: String, body: [UInt8]) throws -> (answer: String, took: Duration) {
        let connection = try RawConnection(port: port)
        let head = "POST \(uri) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let started = ContinuousClock.now
        connection.send(Array(head.utf8) + body.prefix(body.count / 2))
        connection.finishWriting()
        let answer = connection.readToEnd(timeout: .seconds(10)) ?? "(no end within 10 s)"
        return (answer, started.duration(to: .now))
    }
}

/// Asks `/health` every 100 ms until cancelled; returns the slowest answer.
final class HealthWatch: Sendable {
    let answered = Mutex(0)

    func run(_ client: some TestClientProtocol) async -> Duration {
        var slowest = Duration.zero
        while !Task.isCancelled {
            let started = ContinuousClock.now
            guard let response = try? await client.execute(uri: "/health", method: .get), response.status == .ok else {
                return Task.isCancelled ? slowest : .seconds(3600)  // no answer at all
            }
            slowest = max(slowest, started.duration(to: .now))
            answered.withLock { $0 += 1 }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return slowest
    }
}
