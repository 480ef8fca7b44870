import Foundation
import SwitchboardConnectors
import SwitchboardCore

extension ParserWorkload {
    /// Every parser of untrusted input that can be reached without a network, each with its worst cases.
    public static let all: [ParserWorkload] =
        [twilioSignature, formBody, htmlToText, quotedReply, encodedWords, mimeStructure, mimeHeaders, expressions]
        + jsonPayloads

    /// A receive time that every connector accepts.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    // MARK: Forms

    /// Twilio's signature check, before any authentication: the signing text groups every parameter by name.
    static let twilioSignature = ParserWorkload(
        name: "twilio signature",
        benign: Input("20 parameters, a long Body") { bytes in
            .repeating(
                "x", toFill: bytes,
                after: (0..<19).map { "Param\($0)=value\($0)&" }.joined() + "Body=")
        },
        adversarial: [
            Input("distinct names") { bytes in .repeatingNumbered("n", "=1&", toFill: bytes) },
            Input("one name, distinct values") { bytes in .repeatingNumbered("n=", "&", toFill: bytes) },
        ],
        run: { body in
            let request = ConnectorRequest(
                headers: ["X-Twilio-Signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAA="], body: body,
                url: "https://switchboard.example.com/v1/inbound/twilio", receivedAt: now)
            _ = try? TwilioConnector(authToken: "twilio-auth-token-0123456789").receive(request)
        })

    /// An `application/x-www-form-urlencoded` body.
    static let formBody = ParserWorkload(
        name: "form body",
        benign: Input("one long value") { bytes in .repeating("x", toFill: bytes, after: "Body=") },
        adversarial: [
            Input("empty pairs") { bytes in .repeating("&", toFill: bytes) },
            Input("percent escapes") { bytes in .repeating("%41", toFill: bytes, after: "Body=") },
            Input("plus signs and equals") { bytes in .repeating("+=", toFill: bytes, after: "Body=") },
        ],
        run: { body in _ = try? FormBody(parsing: body) })

    // MARK: Email

    /// HTML to text, through the `email` connector (Postmark's JSON with `HtmlBody` only).
    static let htmlToText = ParserWorkload(
        name: "html to text",
        benign: Input("paragraphs") { bytes in postmark(html: .repeating("<p>Hello, my <b>order</b> &amp; refund.</p>\n", toFill: bytes)) },
        adversarial: [
            Input("unclosed tags") { bytes in postmark(html: .repeating("<a", toFill: bytes)) },
            Input("unclosed script tags") { bytes in postmark(html: .repeating("<script>", toFill: bytes)) },
            Input("script, closed at once") { bytes in postmark(html: .repeating("<script></script>", toFill: bytes)) },
            Input("entities without ;") { bytes in postmark(html: .repeating("&amp", toFill: bytes)) },
        ],
        run: { body in _ = try? EmailConnector(username: nil, password: nil, token: nil).message(from: body, source: "email", receivedAt: now) })

    /// Quoted-reply stripping, through a raw message.
    static let quotedReply = ParserWorkload(
        name: "quoted reply",
        benign: Input("a reply above a quotation") { bytes in
            mail(body: .repeating("Thanks, the parcel has not arrived yet.\n", toFill: bytes / 2) + .repeating("> earlier text\n", toFill: bytes / 2))
        },
        adversarial: [
            Input("blank lines, then quotations") { bytes in
                mail(body: .repeating("\n", toFill: bytes / 2) + .repeating(">\n", toFill: bytes / 2))
            },
            Input("blank lines, then attributions and quotations") { bytes in
                mail(body: .repeating("\n", toFill: bytes / 2) + .repeating("On Mon, Ana wrote:\n>\n", toFill: bytes / 2))
            },
            Input("leading blank lines") { bytes in mail(body: .repeating("\n", toFill: bytes - 2) + Array("x\n".utf8)) },
        ],
        run: { raw in _ = MailMessage(parsing: raw) })

    /// RFC 2047 encoded words in a subject.
    static let encodedWords = ParserWorkload(
        name: "encoded words",
        benign: Input("encoded words") { bytes in mail(subject: .repeating("=?UTF-8?Q?Caf=C3=A9?= ", toFill: bytes)) },
        adversarial: [
            Input("=? without end") { bytes in mail(subject: .repeating("=?", toFill: bytes)) },
            Input("open words") { bytes in mail(subject: .repeating("=?utf-8?q?", toFill: bytes)) },
            Input("one unterminated word") { bytes in mail(subject: .repeating("A", toFill: bytes, after: "=?utf-8?b?")) },
        ],
        run: { raw in _ = MailMessage(parsing: raw) })

    /// MIME parts: nesting, many parts.
    static let mimeStructure = ParserWorkload(
        name: "mime parts",
        benign: Input("text and a base64 attachment") { bytes in
            let attachment = Array<UInt8>.repeating("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n", toFill: bytes - 400)
            return Array(
                """
                From: Ana <ana@example.com>\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n\
                Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n\
                Please see the invoice.\r\n--b1\r\nContent-Type: application/pdf; name="a.pdf"\r\n\
                Content-Transfer-Encoding: base64\r\n\r\n
                """.utf8) + attachment + Array("\r\n--b1--\r\n".utf8)
        },
        adversarial: [
            Input("deep nesting") { bytes in
                var head = "From: ana@example.com\r\n"
                for level in 0..<64 {
                    head += "Content-Type: multipart/mixed; boundary=\"l\(level)\"\r\n\r\n--l\(level)\r\n"
                }
                return mail(raw: head + "Content-Type: text/plain\r\n\r\n", body: .repeating("text text\r\n", toFill: bytes - head.utf8.count))
            },
            Input("many tiny parts") { bytes in
                mail(
                    raw: "From: ana@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
                    body: .repeating("--b\r\n\r\nx\r\n", toFill: bytes))
            },
            Input("boundary-like lines") { bytes in
                mail(
                    raw: "From: ana@example.com\r\nContent-Type: multipart/mixed; boundary=bbbbbbbbbbbbbbbbbbbb\r\n\r\n",
                    body: .repeating("--bbbbbbbbbbbbbbbbbbbbX\r\n", toFill: bytes))
            },
        ],
        run: { raw in _ = MailMessage(parsing: raw) })

    /// Header blocks: one long line, many folded lines, many fields, parameters.
    static let mimeHeaders = ParserWorkload(
        name: "mime headers",
        benign: Input("a long body") { bytes in mail(body: .repeating("Hello there.\r\n", toFill: bytes)) },
        adversarial: [
            Input("one header line") { bytes in mail(raw: "From: ana@example.com\r\n", body: .repeating("x", toFill: bytes, after: "X-Long: ")) },
            Input("folded lines") { bytes in mail(raw: "From: ana@example.com\r\n", body: .repeating(" y\r\n", toFill: bytes, after: "Subject: x\r\n")) },
            Input("many fields") { bytes in mail(raw: "From: ana@example.com\r\n", body: .repeating("X-A: 1\r\n", toFill: bytes)) },
            Input("content-type parameters") { bytes in
                mail(
                    raw: "From: ana@example.com\r\nContent-Type: text/plain",
                    body: .repeatingNumbered("; p*", "=x", toFill: bytes))
            },
            Input("references") { bytes in mail(raw: "From: ana@example.com\r\n", body: .repeating("<a@b>", toFill: bytes, after: "References: ")) },
        ],
        run: { raw in _ = MailMessage(parsing: raw) })

    // MARK: Routing tables

    /// The expression language's lexer and parser, on conditions an admin writes.
    static let expressions = ParserWorkload(
        name: "expressions",
        benign: Input("a long string") { bytes in .repeating("x", toFill: bytes - 1, after: "text contains \"") + Array("\"".utf8) },
        adversarial: [
            Input("deep parentheses") { bytes in .repeating("(", toFill: bytes) },
            Input("many conditions") { bytes in .repeating("a == 1 and ", toFill: bytes - 4) + Array("true".utf8) },
            Input("escapes") { bytes in .repeating("\\\"", toFill: bytes - 1, after: "\"") + Array("\"".utf8) },
        ],
        run: { text in _ = try? Expression.parse(String(decoding: text, as: UTF8.self)) })

    // MARK: Building inputs

    /// Postmark's inbound JSON with this HTML body.
    public static func postmark(html: [UInt8]) -> [UInt8] {
        let object: [String: Any] = [
            "From": "ana@example.com", "MessageID": "m-1", "Subject": "help", "HtmlBody": String(decoding: html, as: UTF8.self),
        ]
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// A raw message: these header lines, a blank line, the body.
    static func mail(raw head: String, body: [UInt8]) -> [UInt8] { Array(head.utf8) + body }

    /// A plain-text message with this body.
    static func mail(body: [UInt8]) -> [UInt8] {
        mail(raw: "From: Ana <ana@example.com>\r\nSubject: help\r\nMessage-ID: <m-1@example.com>\r\n\r\n", body: body)
    }

    /// A message with this subject.
    static func mail(subject: [UInt8]) -> [UInt8] {
        Array("From: Ana <ana@example.com>\r\nSubject: ".utf8) + subject + Array("\r\n\r\nHello.\r\n".utf8)
    }
}

extension Array where Element == UInt8 {
    /// `prefix` and a counter and `suffix`, again and again, up to `bytes`: `n0=1&n1=1&…`.
    public static func repeatingNumbered(_ prefix: String, _ suffix: String, toFill bytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes)
        var counter = 0
        while true {
            let unit = Array("\(prefix)\(counter)\(suffix)".utf8)
            guard out.count + unit.count <= bytes else { return out }
            out += unit
            counter += 1
        }
    }
}
