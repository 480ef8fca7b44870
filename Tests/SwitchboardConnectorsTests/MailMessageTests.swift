import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConnectors

/// The MIME reading the IMAP poller applies to each message.
@Suite("Mail message")
struct MailMessageTests {
    static func mail(_ lines: [String]) -> [UInt8] {
        Array(lines.joined(separator: "\r\n").utf8)
    }

    @Test("multipart/alternative: the text/plain part is preferred, QP and ISO-8859-15 decoded, the subject's encoded words read")
    func alternative() throws {
        let raw = Self.mail([
            "From: =?ISO-8859-1?Q?Jos=E9_P=E9rez?= <jose@example.com>",
            "To: support@example.com",
            "Subject: =?UTF-8?B?Q2Fmw6kg?= =?ISO-8859-15?Q?=A4_price?=",
            "Message-ID: <abc@mail.example.com>",
            "Date: Mon, 23 Nov 2026 10:00:00 +0100",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain; charset=ISO-8859-15",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Le caf=E9 co=FBte 3 =A4, soft=",
            " break.",
            "--b1",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>not this</p>",
            "--b1--",
        ])
        let message = MailMessage(parsing: raw)
        #expect(message.text == "Le café coûte 3 €, soft break.")
        #expect(message.subject == "Café € price")
        #expect(message.fromName == "José Pérez")
        #expect(message.fromEmail == "jose@example.com")
        #expect(message.messageId == "abc@mail.example.com")
        #expect(message.threadRoot == "abc@mail.example.com")
        #expect(message.date == Date(timeIntervalSince1970: 1_795_424_400))
        #expect(message.attachments.isEmpty)
    }

    @Test("an HTML-only message is read as text; base64 and Windows-1252 decoded")
    func htmlBase64() {
        let html = Array("<html><body><p>Caf\u{E9} \u{80}5 \u{93}quoted\u{94}</p></body></html>".unicodeScalars.map { UInt8($0.value) })
        let raw = Self.mail([
            "From: ana@example.com", "Subject: html", "Content-Type: text/html; charset=windows-1252",
            "Content-Transfer-Encoding: base64", "", Data(html).base64EncodedString(options: .lineLength64Characters),
        ])
        #expect(MailMessage(parsing: raw).text == "Café €5 \u{201C}quoted\u{201D}")
    }

    @Test("charsets", arguments: [
        ("utf-8", [0x43, 0x61, 0x66, 0xC3, 0xA9], "Café"),
        ("iso-8859-1", [0xA4, 0xE9], "¤é"),
        ("ISO-8859-15", [0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE, 0xE9], "€ŠšŽžŒœŸé"),
        ("windows-1252", [0x80, 0x8A, 0x96, 0x97, 0x99], "€Š–—™"),
        ("us-ascii", [0x41], "A"),
        ("x-unknown", [0xE9], "é"),
    ] as [(String, [UInt8], String)])
    func charsets(charset: String, bytes: [UInt8], text: String) {
        #expect(MailCharset.decode(bytes, charset: charset) == text)
    }

    @Test("RFC 2047 encoded words", arguments: [
        ("=?UTF-8?B?SGVsbG8gd29ybGQ=?=", "Hello world"),
        ("=?iso-8859-1?q?caf=E9_cr=E8me?=", "café crème"),
        ("Re: =?UTF-8?Q?r=C3=A9sum=C3=A9?= attached", "Re: résumé attached"),
        ("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab"),
        ("plain =? not encoded", "plain =? not encoded"),
    ])
    func encodedWords(header: String, text: String) {
        #expect(EncodedWords.decode(header) == text)
    }

    @Test("quoted reply history is stripped", arguments: [
        ("Thanks, that works.\n\nOn Mon, 23 Nov 2026 at 10:00, Ana <ana@example.com> wrote:\n> Try again?\n> Bye", "Thanks, that works."),
        ("Yes please.\n\nOn Mon, 23 Nov 2026 at 10:00, Support Team\n<support@example.com> wrote:\n\n> old", "Yes please."),
        ("See below.\n-----Original Message-----\nFrom: x\nold text", "See below."),
        ("Fine.\n________________________________\nFrom: Support\nSent: Monday", "Fine."),
        ("> only a quote", "> only a quote"),
        ("No quotes here.\nTwo lines.", "No quotes here.\nTwo lines."),
    ])
    func quotes(text: String, stripped: String) {
        #expect(QuotedReply.strip(text) == stripped)
    }

    @Test("attachments are recorded by name, type and decoded size; a reply is threaded to its root")
    func attachmentsAndThreading() throws {
        let raw = Self.mail([
            "Authentication-Results: mx.example.net; dkim=pass header.d=example.com",
            "From: \"Ana Ruiz\" <ana@example.com>",
            "Subject: Re: my order",
            "Message-ID: <reply-2@example.com>",
            "In-Reply-To: <reply-1@example.com>",
            "References: <root@example.com> <reply-1@example.com>",
            "Content-Type: multipart/mixed; boundary=outer",
            "",
            "preamble",
            "--outer",
            "Content-Type: multipart/alternative; boundary=inner",
            "",
            "--inner",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Here is the invoice.",
            "",
            "On Sun, Ana wrote:",
            "> old",
            "--inner",
            "Content-Type: text/html",
            "",
            "<p>Here is the invoice.</p>",
            "--inner--",
            "--outer",
            "Content-Type: application/pdf; name=\"invoice.pdf\"",
            "Content-Disposition: attachment; filename=\"invoice.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            "AAECAwQFBgcICQ==",
            "--outer",
            "Content-Type: text/plain",
            "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt",
            "",
            "hello",
            "--outer--",
            "epilogue",
        ])
        let message = MailMessage(parsing: raw)
        #expect(message.text == "Here is the invoice.")
        #expect(message.attachments == ["invoice.pdf (application/pdf, 10 bytes)", "résumé.txt (text/plain, 5 bytes)"])
        #expect(message.threadRoot == "root@example.com")
        let inbound = try message.inboundMessage(source: "mail", fallbackId: "x", receivedAt: Date())
        #expect(inbound.conversationId == "ana@example.com root@example.com")
        #expect(inbound.messageId == "reply-2@example.com")
        #expect(inbound.channel == "email")
        #expect(inbound.customer == CustomerInfo(name: "Ana Ruiz", email: "ana@example.com"))
        #expect(inbound.attributes["subject"] == .string("Re: my order"))
        #expect(inbound.attributes["sender"] == .string("verified: dkim=pass for example.com"))
        #expect(inbound.attributes["attachments"] == .list([.string("invoice.pdf (application/pdf, 10 bytes)"), .string("résumé.txt (text/plain, 5 bytes)")]))
    }

    @Test("the receiving server's topmost Authentication-Results decide; a pass the sender wrote below it does not")
    func senderEvidence() throws {
        let forged = MailMessage(parsing: Self.mail([
            "Authentication-Results: mx.example.net; spf=softfail smtp.mailfrom=example.com; dkim=none",
            "Authentication-Results: mx.example.net; dkim=pass header.d=example.com",
            "From: Ana <ana@example.com>", "References: <root@example.com>", "", "reopen my order",
        ]))
        #expect(forged.authenticationResults.count == 2)
        let inbound = try forged.inboundMessage(source: "mbox", fallbackId: "f", receivedAt: Date())
        #expect(inbound.customer == CustomerInfo(externalId: "unverified:ana@example.com", name: "Ana"))
        #expect(inbound.conversationId == "unverified ana@example.com root@example.com")
        let server = try forged.inboundMessage(
            source: "mbox", fallbackId: "f", receivedAt: Date(), senders: SenderPolicy(verify: false))
        #expect(server.customer.email == "ana@example.com")
    }

    @Test("In-Reply-To alone threads; no sender is refused; no Message-ID takes the fallback id")
    func edges() throws {
        let reply = MailMessage(parsing: Self.mail(["From: a@example.com", "In-Reply-To: <first@x.org>", "", "hi"]))
        #expect(reply.threadRoot == "first@x.org")
        #expect(try reply.inboundMessage(source: "m", fallbackId: "sha:1", receivedAt: Date()).messageId == "sha:1")
        let anonymous = MailMessage(parsing: Self.mail(["Subject: x", "", "hi"]))
        #expect(throws: PayloadError.self) { try anonymous.inboundMessage(source: "m", fallbackId: "f", receivedAt: Date()) }
        let lf = MailMessage(parsing: Array("From: Bo <bo@example.com>\nSubject: lf\n\nline one\nline two\n".utf8))
        #expect(lf.text == "line one\nline two")
        #expect(lf.fromName == "Bo")
    }

    @Test("a message of more parts than are read keeps its text and the first attachments")
    func manyParts() {
        let attachment = ["--b", "Content-Type: application/pdf; name=\"a.pdf\"", "", "x"]
        let raw = Self.mail(
            ["From: ana@example.com", "Content-Type: multipart/mixed; boundary=b", "", "--b", "", "the text"]
                + Array([[String]](repeating: attachment, count: MIMEPart.maximumParts + 50).joined()) + ["--b--"])
        let message = MailMessage(parsing: raw)
        #expect(message.text == "the text")
        #expect(message.attachments.count == MIMEPart.maximumParts - 1)
    }

    @Test("nesting deeper than is read leaves the deepest part unread, not the message")
    func deepNesting() {
        var lines = ["From: ana@example.com"]
        for level in 0..<(MIMEPart.maximumDepth + 4) {
            lines += ["Content-Type: multipart/mixed; boundary=l\(level)", "", "--l\(level)"]
        }
        lines += ["Content-Type: text/plain", "", "deep text"]
        let message = MailMessage(parsing: Self.mail(lines))
        #expect(message.fromEmail == "ana@example.com")
        #expect(!message.text.contains("deep text"))
        let shallow = MailMessage(parsing: Self.mail(Array(lines.prefix(1 + 3 * 2)) + ["Content-Type: text/plain", "", "deep text"]))
        #expect(shallow.text == "deep text")
    }
}
