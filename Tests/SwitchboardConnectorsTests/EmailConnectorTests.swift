import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Inbound email with Postmark's inbound webhook fields, from Postmark's "Inbound webhook" and
/// "Parse an email" documentation.
@Suite("Email connector")
struct EmailConnectorTests {
    static let token = "tok_4f8a1c2e9b7d6a5f"
    static let basic = EmailConnector(username: "postmark", password: "s3cret-pass", token: nil)
    static let pathToken = EmailConnector(username: nil, password: nil, token: token)

    /// Postmark's documented inbound example, as its documentation shows it.
    static let documentedExample = #"""
        {"FromName":"Postmarkapp Support","MessageStream":"inbound","From":"support@postmarkapp.com",
         "FromFull":{"Email":"support@postmarkapp.com","Name":"Postmarkapp Support","MailboxHash":""},
         "To":"\"Firstname Lastname\" <yourhash+SampleHash@inbound.postmarkapp.com>",
         "ToFull":[{"Email":"yourhash+SampleHash@inbound.postmarkapp.com","Name":"Firstname Lastname","MailboxHash":"SampleHash"}],
         "Cc":"\"First Cc\" <firstcc@postmarkapp.com>, secondCc@postmarkapp.com>",
         "CcFull":[{"Email":"firstcc@postmarkapp.com","Name":"First Cc","MailboxHash":""},{"Email":"secondCc@postmarkapp.com","Name":"","MailboxHash":""}],
         "OriginalRecipient":"yourhash+SampleHash@inbound.postmarkapp.com","Subject":"Test subject",
         "MessageID":"73e6d360-66eb-11e1-8e72-a8904824019b","ReplyTo":"replyto@postmarkapp.com","MailboxHash":"SampleHash",
         "Date":"Fri, 1 Aug 2014 16:45:32 -04:00","TextBody":"This is a test text body.",
         "HtmlBody":"<html><body><p>This is a test html body.<\/p><\/body><\/html>","StrippedTextReply":"This is the reply text",
         "Tag":"TestTag",
         "Headers":[{"Name":"X-Header-Test","Value":""},{"Name":"X-Spam-Status","Value":"No"},{"Name":"X-Spam-Score","Value":"-0.1"},{"Name":"X-Spam-Tests","Value":"DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS"}],
         "Attachments":[{"Name":"test.txt","Content":"VGhpcyBpcyBhdHRhY2htZW50IGNvbnRlbnRzLCBiYXNlLTY0IGVuY29kZWQu","ContentType":"text/plain","ContentLength":45}]}
        """#

    /// An email with the threading headers mail clients write.
    static func email(
        messageID: String = "b7e1a2c4-0001-4d6f-9a11-000000000001", ownId: String = "<CAF=first@mail.example.com>",
        inReplyTo: String? = nil, references: String? = nil, text: String = "my parcel is late",
        stripped: String? = nil,
        html: String = "", from: String = "ana@example.com",
        authentication: String? = "mx.inbound.example.com; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com"
    ) -> String {
        var headers: [[String: String]] = [
            ["Name": "Message-ID", "Value": ownId], ["Name": "Date", "Value": "Mon, 23 Nov 2026 10:00:00 +0000"],
        ]
        if let authentication { headers.insert(["Name": "Authentication-Results", "Value": authentication], at: 0) }
        if let inReplyTo { headers.append(["Name": "In-Reply-To", "Value": inReplyTo]) }
        if let references { headers.append(["Name": "References", "Value": references]) }
        var object: [String: Any] = [
            "From": from, "FromName": "Ana Ruiz", "FromFull": ["Email": from, "Name": "Ana Ruiz", "MailboxHash": ""],
            "To": "support@inbound.example.com", "Subject": "Where is my parcel?", "MessageID": messageID,
            "Date": "Mon, 23 Nov 2026 10:00:00 +0000", "TextBody": text, "HtmlBody": html, "Headers": headers,
        ]
        object["StrippedTextReply"] = stripped
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func request(_ body: String, authorization: String? = nil, pathToken: String? = nil) -> ConnectorRequest {
        var headers = ["Content-Type": "application/json"]
        headers["Authorization"] = authorization
        return ConnectorRequest(headers: headers, body: Array(body.utf8), pathToken: pathToken, receivedAt: Date())
    }

    static func basicAuth(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    @Test("Postmark's documented example: keyed by MessageID, the reply text from an unverified sender, its subject")
    func documented() throws {
        let request = Self.request(Self.documentedExample, authorization: Self.basicAuth("postmark", "s3cret-pass"))
        #expect(try Self.basic.receive(request) == .event(key: "73e6d360-66eb-11e1-8e72-a8904824019b"))
        let message = try Self.basic.message(from: request.body, source: "mail", receivedAt: Date())
        #expect(message.channel == "email")
        // The example's headers hold SpamAssassin's summary only, no Authentication-Results or Received-SPF:
        // From: proves nothing, so the sender is a customer of their own.
        #expect(
            message.customer == CustomerInfo(externalId: "unverified:support@postmarkapp.com", name: "Postmarkapp Support"))
        #expect(message.text == "This is the reply text")
        #expect(
            message.attributes == [
                "subject": .string("Test subject"),
                "sender": .string("not verified: no SPF, DKIM or DMARC pass for postmarkapp.com"),
            ])
        #expect(message.messageId == "73e6d360-66eb-11e1-8e72-a8904824019b")
        // No Message-ID header in the example: the email is a thread of its own, under Postmark's id.
        #expect(message.conversationId == "unverified support@postmarkapp.com 73e6d360-66eb-11e1-8e72-a8904824019b")
        #expect(message.sentAt == Timestamp.parse("2014-08-01T20:45:32Z"))
    }

    @Test(
        "the conversation is the thread's root: References first, then In-Reply-To, then the email's own Message-ID",
        arguments: [
            (nil, nil, "CAF=first@mail.example.com"),
            ("<CAF=first@mail.example.com>", nil, "CAF=first@mail.example.com"),
            (
                " <root@mail.example.com>", "<root@mail.example.com>\r\n <second@mail.example.com>",
                "root@mail.example.com"
            ),
            ("<second@mail.example.com>", "<root@mail.example.com> <second@mail.example.com>", "root@mail.example.com"),
            ("<second@mail.example.com>", "  ", "second@mail.example.com"),
        ] as [(String?, String?, String)])
    func threading(inReplyTo: String?, references: String?, conversation: String) throws {
        let body = Self.email(ownId: "<CAF=first@mail.example.com>", inReplyTo: inReplyTo, references: references)
        let message = try Self.pathToken.message(from: Array(body.utf8), source: "mail", receivedAt: Date())
        #expect(message.conversationId == "ana@example.com " + conversation)
    }

    /// Postmark's own `Received-SPF`, as its "Parse an email" example shows it.
    static let postmarkSPF =
        "Pass (sender SPF authorized) identity=mailfrom; client-ip=209.85.160.180; helo=mail-qy0-f180.google.com; envelope-from=ana@Example.com; receiver=451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com"

    @Test("a verified sender is the customer of their address and their thread; an unverified one is neither")
    func senders() throws {
        func message(_ body: String, _ connector: EmailConnector = Self.pathToken) throws -> InboundMessage {
            try connector.message(from: Array(body.utf8), source: "mail", receivedAt: Date())
        }
        let verified = try message(Self.email(references: "<root@mail.example.com>"))
        #expect(verified.customer == CustomerInfo(name: "Ana Ruiz", email: "ana@example.com"))
        #expect(verified.conversationId == "ana@example.com root@mail.example.com")
        #expect(verified.attributes["sender"] == .string("verified: spf=pass for example.com"))

        var spf = try JSONSerialization.jsonObject(with: Data(Self.email(authentication: nil).utf8)) as! [String: Any]
        spf["Headers"] = (spf["Headers"] as! [[String: String]]) + [["Name": "Received-SPF", "Value": Self.postmarkSPF]]
        let postmark = try message(String(decoding: try JSONSerialization.data(withJSONObject: spf), as: UTF8.self))
        #expect(postmark.customer.email == "ana@example.com")
        #expect(postmark.attributes["sender"] == .string("verified: spf=pass for example.com (Received-SPF)"))

        // The same From: and References: sent from elsewhere: a customer and a conversation of its own.
        let forged = try message(
            Self.email(
                references: "<root@mail.example.com>",
                authentication: "mx.inbound.example.com; spf=fail smtp.mailfrom=example.com; dkim=pass header.d=attacker.test"))
        #expect(forged.customer == CustomerInfo(externalId: "unverified:ana@example.com", name: "Ana Ruiz"))
        #expect(forged.customer.identities(source: "mail") == [Identity(kind: .sourceUser, value: "mail:unverified:ana@example.com")])
        #expect(forged.conversationId == "unverified ana@example.com root@mail.example.com")
        #expect(forged.attributes["sender"] == .string("not verified: no SPF, DKIM or DMARC pass for example.com"))

        // A verified sender naming someone else's thread: their own conversation, not the thread's.
        let other = try message(
            Self.email(
                references: "<root@mail.example.com>", from: "bo@other.test",
                authentication: "mx.inbound.example.com; dkim=pass header.d=other.test"))
        #expect(other.customer.email == "bo@other.test")
        #expect(other.conversationId == "bo@other.test root@mail.example.com")

        // verify_senders off: From: is taken as the platform vouched for it.
        let trusting = EmailConnector(username: nil, password: nil, token: Self.token, senders: SenderPolicy(verify: false))
        let trusted = try message(Self.email(authentication: nil), trusting)
        #expect(trusted.customer == CustomerInfo(name: "Ana Ruiz", email: "ana@example.com"))
        #expect(trusted.attributes["sender"] == nil)

        // authserv_id: only the named server's results count, wherever they are; Received-SPF does not.
        let named = EmailConnector(
            username: nil, password: nil, token: Self.token, senders: SenderPolicy(authservId: "MX.Inbound.Example.com"))
        #expect(try message(Self.email(), named).customer.email == "ana@example.com")
        let elsewhere = try message(
            Self.email(authentication: "mx.attacker.test; dkim=pass header.d=example.com"), named)
        #expect(elsewhere.customer.email == nil)
        let spfOnly = try message(String(decoding: try JSONSerialization.data(withJSONObject: spf), as: UTF8.self), named)
        #expect(spfOnly.customer.email == nil)
    }

    @Test("the text is the stripped reply, else the text part, else the HTML part without its tags")
    func text() throws {
        func text(_ body: String) throws -> String {
            try Self.pathToken.message(from: Array(body.utf8), source: "mail", receivedAt: Date()).text
        }
        #expect(try text(Self.email(text: "full text\n> quoted", stripped: "just the reply")) == "just the reply")
        #expect(try text(Self.email(text: "full text", stripped: "")) == "full text")
        #expect(
            try text(
                Self.email(text: "", html: "<html><body><p>my parcel</p><p>is late&nbsp;&#x1F4E6;</p></body></html>"))
                == "my parcel\nis late 📦")
    }

    @Test(
        "the Date is read as mail servers write it; one it cannot read leaves the time received",
        arguments: [
            ("Fri, 1 Aug 2014 16:45:32 -0400", "2014-08-01T20:45:32Z"),
            ("Sat, 19 Aug 2017 19:37:23 +0200 (Mitteleurop\u{E4}ische Sommerzeit)", "2017-08-19T17:37:23Z"),
            ("1 Aug 2014 16:45 GMT", "2014-08-01T16:45:00Z"),
            ("Fri, 01 Aug 14 16:45:32 EDT", "2014-08-01T20:45:32Z"),
            ("yesterday", nil),
        ] as [(String, String?)])
    func dates(date: String, instant: String?) throws {
        let received = Date(timeIntervalSince1970: 1_800_000_000)
        let body = Self.email().replacingOccurrences(of: "Mon, 23 Nov 2026 10:00:00 +0000", with: date)
        let message = try Self.pathToken.message(from: Array(body.utf8), source: "mail", receivedAt: received)
        #expect(message.sentAt == instant.flatMap(Timestamp.parse) ?? received)
    }

    @Test("basic auth: both username and password must match")
    func basicAuth() throws {
        let body = Self.email()
        #expect(
            try Self.basic.receive(Self.request(body, authorization: Self.basicAuth("postmark", "s3cret-pass")))
                == .event(key: "b7e1a2c4-0001-4d6f-9a11-000000000001"))
        for (user, password) in [("postmark", "wrong"), ("someone", "s3cret-pass"), ("", "")] {
            #expect(throws: ConnectorRejection.unauthenticated("wrong credentials")) {
                try Self.basic.receive(Self.request(body, authorization: Self.basicAuth(user, password)))
            }
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing Authorization header (basic auth)")) {
            try Self.basic.receive(Self.request(body))
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing Authorization header (basic auth)")) {
            try Self.basic.receive(Self.request(body, authorization: "Bearer s3cret-pass"))
        }
    }

    @Test("path token: accepted when it matches, refused when wrong or absent")
    func pathTokenAuth() throws {
        let body = Self.email()
        #expect(
            try Self.pathToken.receive(Self.request(body, pathToken: Self.token))
                == .event(key: "b7e1a2c4-0001-4d6f-9a11-000000000001"))
        #expect(throws: ConnectorRejection.unauthenticated("wrong credentials")) {
            try Self.pathToken.receive(Self.request(body, pathToken: "tok_4f8a1c2e9b7d6a5e"))
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing path token: post to /v1/inbound/{source}/{token}"))
        {
            try Self.pathToken.receive(Self.request(body, authorization: Self.basicAuth("postmark", "s3cret-pass")))
        }
        let both = EmailConnector(username: "postmark", password: "s3cret-pass", token: Self.token)
        #expect(
            try both.receive(Self.request(body, pathToken: Self.token))
                == .event(key: "b7e1a2c4-0001-4d6f-9a11-000000000001"))
        #expect(
            try both.receive(Self.request(body, authorization: Self.basicAuth("postmark", "s3cret-pass")))
                == .event(key: "b7e1a2c4-0001-4d6f-9a11-000000000001"))
        #expect(throws: ConnectorRejection.unauthenticated("missing credentials: basic auth or the path token")) {
            try both.receive(Self.request(body))
        }
    }

    @Test("a malformed email names the field")
    func malformed() {
        let connector = Self.pathToken
        func receive(_ body: String) throws { _ = try connector.receive(Self.request(body, pathToken: Self.token)) }
        #expect(throws: ConnectorRejection.payload(.missingField("MessageID"))) {
            try receive(Self.email(messageID: ""))
        }
        #expect(
            throws: ConnectorRejection.payload(
                .invalidField("FromFull.Email", "\"not an address\" is not an email address"))
        ) {
            try receive(Self.email(from: "not an address"))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("TextBody"))) {
            try receive(Self.email(text: " ", html: "<p> </p>"))
        }
        #expect(throws: ConnectorRejection.payload(.invalidField("Headers", "expected a list or an object"))) {
            try receive(#"{"MessageID":"m-1","From":"ana@example.com","TextBody":"hi","Headers":"In-Reply-To: <a@b>"}"#)
        }
        #expect(throws: ConnectorRejection.payload(.malformed("the body must be a JSON object"))) {
            try receive(#""just a string""#)
        }
    }
}
