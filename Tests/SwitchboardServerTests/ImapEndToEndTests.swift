import Foundation
import HummingbirdTesting
import Logging
import SwitchboardConfig
import SwitchboardPolling
import Testing

/// An `imap` source against a real dovecot: mail put in with IMAP APPEND, polled over libcurl,
/// routed to a desk.
@Suite("IMAP end to end")
struct ImapEndToEndTests {
    /// A message as a mail client writes it.
    static func mail(
        id: String, from: String = "=?ISO-8859-1?Q?Ana_Ru=EDz?= <ana@example.com>", subject: String,
        inReplyTo: String? = nil, headers: [String] = [], body: String
    ) -> String {
        // What the receiving server adds on top: DKIM passed for the sender's domain.
        var lines = ["Authentication-Results: mx.example.com; dkim=pass header.d=example.com", "From: \(from)", "To: support@example.com", "Subject: \(subject)", "Message-ID: <\(id)>",
            "Date: Mon, 23 Nov 2026 10:00:00 +0000", "MIME-Version: 1.0"]
        if let inReplyTo { lines += ["In-Reply-To: <\(inReplyTo)>", "References: <\(inReplyTo)>"] }
        return (lines + headers + ["", body]).joined(separator: "\r\n")
    }

    static func environment(
        _ dovecot: Dovecot, desk: TestDesk, mailbox: String = "INBOX", password: String = Dovecot.password
    ) throws -> TestEnvironment {
        var environment = try TestEnvironment(agents: [
            TestEnvironment.agent("ana", name: "Ana Ruiz", skills: "{general: 3}", desk: desk)
        ])
        var source = SourceSettings(name: "mail", kind: .imap, secret: "", username: Dovecot.user, password: password)
        source.url = dovecot.url(mailbox: mailbox)
        source.interval = 0.2
        environment.configuration.sources.append(source)
        return environment
    }

    @Test("a new mail routed with its subject and body decoded, a reply threaded into it, a restart without duplicates")
    func routedThreadedRestarted() async throws {
        let dovecot = try await Dovecot.start()
        defer { dovecot.stop() }
        let desk = try await TestDesk.start()
        let environment = try Self.environment(dovecot, desk: desk)
        defer { environment.remove() }

        try await dovecot.append(
            Self.mail(
                id: "first@mail.example.com", subject: "=?ISO-8859-15?Q?Livraison_=E0_Paris_=A4?=",
                headers: ["Content-Type: text/plain; charset=ISO-8859-15", "Content-Transfer-Encoding: quoted-printable"],
                body: "Bonjour, o=F9 est mon colis ? Le tarif =E9tait 5 =A4 et la livraison est =\r\nen retard."))
        let conversationId = try await environment.application().test(.live) { client in
            let handoff = try #require(await desk.waitForDeliveries(1).first)
            #expect(handoff.value("kind") as? String == "handoff")
            #expect(handoff.value("conversation.source") as? String == "mail")
            #expect(handoff.value("conversation.channel") as? String == "email")
            #expect(handoff.value("conversation.external_id") as? String == "ana@example.com first@mail.example.com")
            #expect(handoff.value("conversation.attributes.subject") as? String == "Livraison à Paris €")
            #expect(
                handoff.value("conversation.messages.0.text") as? String
                    == "Bonjour, où est mon colis ? Le tarif était 5 € et la livraison est en retard.")
            #expect(handoff.value("customer.name") as? String == "Ana Ruíz")
            let conversationId = try #require(handoff.value("conversation.id") as? String)

            try await dovecot.append(
                Self.mail(
                    id: "second@mail.example.com", subject: "Re: Livraison", inReplyTo: "first@mail.example.com",
                    body: "It is still not here.\r\n\r\nOn Mon, 23 Nov 2026, Support <support@example.com> wrote:\r\n> We are looking into it."))
            let deliveries = await desk.waitForDeliveries(2)
            try #require(deliveries.count == 2)
            #expect(deliveries[1].value("kind") as? String == "message")
            #expect(deliveries[1].value("conversation_id") as? String == conversationId)
            #expect(deliveries[1].value("message.text") as? String == "It is still not here.")
            let metrics = try await client.metrics()
            #expect(metrics.value("switchboard_polled_messages_total", ["source": "mail"]) == 2)
            #expect(metrics.value("switchboard_poll_lag_seconds", ["source": "mail"]) != nil)
            return conversationId
        }

        // A new server on the same store: the two mails are behind the cursor; a third is new.
        try await dovecot.append(Self.mail(id: "third@mail.example.com", subject: "Another question", body: "Can I change the address?"))
        try await environment.application().test(.live) { _ in
            let deliveries = await desk.waitForDeliveries(3)
            try #require(deliveries.count == 3)
            #expect(deliveries[2].value("conversation.external_id") as? String == "ana@example.com third@mail.example.com")
            #expect(deliveries[2].value("conversation.id") as? String != conversationId)
            try await Task.sleep(for: .seconds(1))
            #expect(desk.deliveries.count == 3)
        }
        await desk.stop()
    }

    @Test("a recreated mailbox (a new UIDVALIDITY) is read again without routing what was taken")
    func uidValidityChange() async throws {
        let dovecot = try await Dovecot.start()
        defer { dovecot.stop() }
        let desk = try await TestDesk.start()
        let environment = try Self.environment(dovecot, desk: desk, mailbox: "Support")
        defer { environment.remove() }
        let one = Self.mail(id: "one@mail.example.com", subject: "First", body: "Where is my parcel?")
        try await dovecot.command("CREATE Support")
        try await dovecot.append(one, mailbox: "Support")
        try await environment.application().test(.live) { _ in
            #expect(await desk.waitForDeliveries(1).count == 1)
            let before = try await dovecot.uidValidity("Support")
            // The mailbox is deleted and made again (say, restored from a backup): new UIDVALIDITY,
            // the first mail back under UID 1, and a new one.
            try await dovecot.command("DELETE Support")
            try await dovecot.command("CREATE Support")
            try await dovecot.append(one, mailbox: "Support")
            try await dovecot.append(
                Self.mail(id: "two@mail.example.com", subject: "Second", body: "And my other parcel?"), mailbox: "Support")
            #expect(try await dovecot.uidValidity("Support") != before)
            let deliveries = await desk.waitForDeliveries(2)
            try #require(deliveries.count == 2)
            #expect(deliveries[1].value("conversation.external_id") as? String == "ana@example.com two@mail.example.com")
            try await Task.sleep(for: .seconds(1))
            #expect(desk.deliveries.count == 2)
        }
        await desk.stop()
    }

    @Test("a customer who chatted before writes an email: the handoff carries the chat in history")
    func chattedBefore() async throws {
        let dovecot = try await Dovecot.start()
        defer { dovecot.stop() }
        let desk = try await TestDesk.start()
        let environment = try Self.environment(dovecot, desk: desk)
        defer { environment.remove() }
        try await environment.application().test(.live) { [environment] client in
            let web = TestEnvironment.body(
                conversation: "web-1", customerId: "u-42", email: "ana@example.com", messageId: "m-1", text: "hello")
            #expect(try await client.postInbound(environment, body: web).status == .accepted)
            let chat = try #require(await desk.waitForDeliveries(1).first)
            let chatId = try #require(chat.value("conversation.id") as? String)
            try await dovecot.append(Self.mail(id: "later@mail.example.com", subject: "Following up", body: "About our chat."))
            let deliveries = await desk.waitForDeliveries(2)
            try #require(deliveries.count == 2)
            #expect(deliveries[1].value("conversation.source") as? String == "mail")
            let history = deliveries[1].value("history") as? [[String: Any]] ?? []
            #expect(history.map { $0["id"] as? String } == [chatId])
            #expect(history.first?["source"] as? String == "web")
        }
        await desk.stop()
    }

    @Test("a wrong password: the poll fails with \"authentication failed\", the server keeps running and counts errors")
    func wrongPassword() async throws {
        let dovecot = try await Dovecot.start()
        defer { dovecot.stop() }
        let mailbox = try #require(ImapMailbox(url: dovecot.url))
        let poller = ImapPoller(
            source: "mail", mailbox: mailbox, username: Dovecot.user, password: "wrong", client: dovecot.client,
            logger: Logger(label: "test"))
        let error = await #expect(throws: ImapError.self) { try await poller.poll(cursor: nil) }
        #expect(error.map(String.init(describing:))?.contains("authentication failed") == true)

        let desk = try await TestDesk.start()
        let environment = try Self.environment(dovecot, desk: desk, password: "wrong")
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            var errors = 0.0
            for _ in 0..<150 where errors < 1 {
                try await Task.sleep(for: .milliseconds(100))
                errors = try await client.metrics().value("switchboard_poll_errors_total", ["source": "mail"]) ?? 0
            }
            #expect(errors >= 1)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
        await desk.stop()
    }
}
