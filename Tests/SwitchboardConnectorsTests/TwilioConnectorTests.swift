import Crypto
import Foundation
import SwitchboardConnectors
import SwitchboardCore
import Testing

/// Twilio Conversations webhooks, from Twilio's webhook security guide (and the examples its SDKs
/// test against) and the `onMessageAdded` parameters of its Conversations webhooks reference.
@Suite("Twilio connector")
struct TwilioConnectorTests {
    static let authToken = "12345"
    static let url = "https://switchboard.example.com/v1/inbound/tw"
    static let connector = TwilioConnector(authToken: authToken)

    /// The documented algorithm: the URL, then each POST parameter sorted by name as name then value,
    /// HMAC-SHA1 with the auth token, base64.
    static func sign(url: String, _ parameters: [(String, String)], token: String = authToken) -> String {
        let text = url + parameters.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        return Signature.base64(Signature.hmacSHA1(key: Array(token.utf8), [Array(text.utf8)]))
    }

    /// `application/x-www-form-urlencoded`, as Twilio posts: spaces as `+`, the rest percent-encoded.
    static func form(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~ ")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: " ", with: "+")
        }
        return parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    static func request(
        _ parameters: [(String, String)], url: String = url, signature: String? = nil, token: String = authToken
    ) -> ConnectorRequest {
        ConnectorRequest(
            headers: [
                "X-Twilio-Signature": signature ?? sign(url: url, parameters, token: token),
                "Content-Type": "application/x-www-form-urlencoded",
            ],
            body: Array(form(parameters).utf8), url: url, receivedAt: Date())
    }

    /// An `onMessageAdded` post-event webhook with the parameters Twilio documents.
    static func messageAdded(
        author: String = "+15551234567", body: String = "my parcel is late", source: String = "SMS",
        messageSid: String = "IM8d613ccb9016450fa29faecfaa7bb6f4", extra: [(String, String)] = []
    ) -> [(String, String)] {
        [
            ("EventType", "onMessageAdded"), ("AccountSid", "AC00000000000000000000000000000001"),
            ("ChatServiceSid", "IS00000000000000000000000000000001"),
            ("ConversationSid", "CH6c25138e952448e3b27ef8164097a1c7"), ("MessageSid", messageSid), ("Index", "35"),
            ("Author", author), ("Body", body), ("Attributes", "{}"), ("DateCreated", "2021-08-10T18:00:58.111Z"),
            ("Source", source), ("ParticipantSid", "MBc58b06998c564765bbff41cfd3a03219"), ("RetryCount", "0"),
        ] + extra
    }

    @Test(
        "Twilio's published examples verify with auth token 12345, and fail with another",
        arguments: [
            // twilio.com/docs/usage/webhooks/webhooks-security (its Node.js sample).
            ("+14158675310", "GvWf1cFY/Q7PnoempGyD5oXAezc="),
            // twilio-python's tests/unit/test_request_validator.py (and the older docs samples).
            ("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        ])
    func publishedExample(caller: String, signature: String) throws {
        let parameters = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", caller), ("Digits", "1234"), ("From", caller),
            ("To", "+18005551212"),
        ]
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(Self.sign(url: url, parameters) == signature)
        try Self.connector.verify(Self.request(parameters, url: url, signature: signature))
        #expect(throws: ConnectorRejection.unauthenticated("X-Twilio-Signature does not match the URL and parameters"))
        {
            try TwilioConnector(authToken: "54321").verify(Self.request(parameters, url: url, signature: signature))
        }
    }

    @Test("the SDK's examples: a port Twilio added, a repeated parameter, a JSON body signed with bodySHA256")
    func sdkExamples() throws {
        let parameters = [
            ("CallSid", "CA1234567890ABCDE"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
            ("Caller", "+14158675309"),
        ]
        // Signed over https://mycompany.com:443/...: the URL without the port still verifies.
        try Self.connector.verify(
            Self.request(
                parameters, url: "https://mycompany.com/myapp.php?foo=1&bar=2",
                signature: "kvajT1Ptam85bY51eRf/AJRuM3w="))
        // And a URL with the port verifies a signature made without it.
        try Self.connector.verify(
            Self.request(
                parameters, url: "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        // Every value of a repeated name is signed, the values sorted.
        let repeated = ConnectorRequest(
            headers: ["X-Twilio-Signature": "IK+Dwps556ElfBT0I3Rgjkr1wJU="],
            body: Array("Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234".utf8),
            url: "https://mycompany.com/myapp.php?foo=1&bar=2", receivedAt: Date())
        try Self.connector.verify(repeated)
        // JSON: the body's SHA-256 is in the signed URL's query.
        let body = #"{"property": "value", "boolean": true}"#
        let hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        let json = ConnectorRequest(
            headers: ["X-Twilio-Signature": "a9nBmqA0ju/hNViExpshrM61xv4="], body: Array(body.utf8),
            url: "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=\(hash)",
            query: ["foo": "1", "bar": "2", "bodySHA256": hash], receivedAt: Date())
        try Self.connector.verify(json)
        var tampered = json
        tampered.body = Array(#"{"property": "other", "boolean": true}"#.utf8)
        #expect(throws: ConnectorRejection.unauthenticated("bodySHA256 does not match the body")) {
            try Self.connector.verify(tampered)
        }
    }

    @Test("an SMS onMessageAdded is keyed by MessageSid; its E.164 author is the customer's phone")
    func smsMessage() throws {
        let parameters = Self.messageAdded(body: "my parcel is late! 50% off?")
        let request = Self.request(parameters)
        #expect(try Self.connector.receive(request) == .event(key: "IM8d613ccb9016450fa29faecfaa7bb6f4"))
        // The router reads the stored body again, without the URL.
        let message = try Self.connector.message(from: request.body, source: "tw", receivedAt: Date())
        #expect(message.conversationId == "CH6c25138e952448e3b27ef8164097a1c7")
        #expect(message.messageId == "IM8d613ccb9016450fa29faecfaa7bb6f4")
        #expect(message.text == "my parcel is late! 50% off?")
        #expect(message.channel == "sms")
        #expect(message.customer == CustomerInfo(phone: "+15551234567"))
        #expect(message.customer.identities(source: "tw").map(\.description) == ["phone:+15551234567"])
        #expect(message.sentAt == Timestamp.parse("2021-08-10T18:00:58.111Z"))
        #expect(message.attributes["twilio_source"] == .string("SMS"))
    }

    @Test(
        "the author decides the customer and, with Source, the channel",
        arguments: [
            ("whatsapp:+447700900123", "WHATSAPP", "whatsapp", CustomerInfo(phone: "+447700900123")),
            ("+1 (555) 123-4567", "SMS", "sms", CustomerInfo(phone: "+15551234567")),
            ("dave", "SDK", "chat", CustomerInfo(externalId: "dave")),
            ("ana@example.com", "SDK", "chat", CustomerInfo(externalId: "ana@example.com", email: "ana@example.com")),
            ("5551234567", "SMS", "sms", CustomerInfo(externalId: "5551234567")),
        ])
    func authors(author: String, source: String, channel: String, customer: CustomerInfo) throws {
        let body = Array(Self.form(Self.messageAdded(author: author, source: source)).utf8)
        let message = try Self.connector.message(from: body, source: "tw", receivedAt: Date())
        #expect(message.channel == channel)
        #expect(message.customer == customer)
    }

    @Test("a form body decodes + as a space and %XX escapes, as Foundation reads them")
    func formDecoding() throws {
        let form = try FormBody(parsing: Array("Body=my+parcel%20is+late%21+%E2%9C%88&Empty=&Flag&A%2BB=1%2B1".utf8))
        #expect(form["Body"] == "my parcel is late! ✈")
        #expect(form["Empty"] == "")
        #expect(form["Flag"] == "")
        #expect(form["A+B"] == "1+1")
        #expect(throws: PayloadError.invalidField("Body", "malformed percent-encoding")) {
            try FormBody(parsing: Array("Body=100%ZZ".utf8))
        }
        #expect(throws: PayloadError.invalidField("Body", "malformed percent-encoding")) {
            try FormBody(parsing: Array("Body=100%2".utf8))
        }
        #expect(throws: PayloadError.invalidField("Body", "not UTF-8 once decoded")) {
            try FormBody(parsing: Array("Body=caf%E9".utf8))
        }
        #expect(throws: PayloadError.invalidField("Body", "not UTF-8 once decoded")) {
            try FormBody(parsing: Array("Body=caf".utf8) + [0xE9])
        }
        let most = (0..<FormBody.maximumPairs).map { "n\($0)=1" }.joined(separator: "&")
        #expect(try FormBody(parsing: Array(most.utf8)).pairs.count == FormBody.maximumPairs)
        #expect(throws: PayloadError.malformed("the form has more than 1000 parameters")) {
            try FormBody(parsing: Array((most + "&&&one=more").utf8))
        }
    }

    @Test("a JSON body (the bodySHA256 variant) is read with the same parameter names")
    func jsonMessage() throws {
        let object = Dictionary(uniqueKeysWithValues: Self.messageAdded().map { ($0.0, $0.1) })
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let hash = Signature.hex(Array(SHA256.hash(data: body)))
        let url = Self.url + "?bodySHA256=" + hash
        let request = ConnectorRequest(
            headers: ["X-Twilio-Signature": Self.sign(url: url, []), "Content-Type": "application/json"],
            body: Array(body),
            url: url, query: ["bodySHA256": hash], receivedAt: Date())
        #expect(try Self.connector.receive(request) == .event(key: "IM8d613ccb9016450fa29faecfaa7bb6f4"))
        let message = try Self.connector.message(from: Array(body), source: "tw", receivedAt: Date())
        #expect(message.text == "my parcel is late")
        #expect(message.customer.phone == "+15551234567")
    }

    @Test("other event types, the system's messages and media without text are acknowledged and ignored")
    func ignored() throws {
        let added = [
            ("EventType", "onConversationAdded"), ("ConversationSid", "CH6c25138e952448e3b27ef8164097a1c7"),
            ("DateCreated", "2021-08-10T18:00:58.111Z"), ("State", "active"),
        ]
        #expect(try Self.connector.receive(Self.request(added)) == .ignored(type: "onConversationAdded"))
        #expect(
            try Self.connector.receive(
                Self.request(Self.messageAdded(extra: []).map { $0.0 == "EventType" ? ($0.0, "onMessageUpdated") : $0 })
            )
                == .ignored(type: "onMessageUpdated"))
        #expect(
            try Self.connector.receive(Self.request(Self.messageAdded(author: "system")))
                == .ignored(type: "onMessageAdded.system"))
        let media = Self.messageAdded(
            body: "", extra: [("Media", #"[{"Sid":"ME0000000000000000000000000000001","ContentType":"image/png"}]"#)])
        #expect(try Self.connector.receive(Self.request(media)) == .ignored(type: "onMessageAdded.media"))
    }

    @Test("a wrong or missing signature, a changed parameter and a malformed event are refused with the reason")
    func refused() {
        let parameters = Self.messageAdded()
        #expect(throws: ConnectorRejection.unauthenticated("X-Twilio-Signature does not match the URL and parameters"))
        {
            try Self.connector.receive(Self.request(parameters, token: "wrong"))
        }
        #expect(throws: ConnectorRejection.unauthenticated("X-Twilio-Signature does not match the URL and parameters"))
        {
            // Signed for another URL: the public URL is part of what Twilio signs.
            try Self.connector.receive(
                Self.request(parameters, signature: Self.sign(url: "https://elsewhere.example.com/hook", parameters)))
        }
        #expect(throws: ConnectorRejection.unauthenticated("X-Twilio-Signature does not match the URL and parameters"))
        {
            var request = Self.request(parameters)
            request.body = Array(Self.form(Self.messageAdded(body: "a forged text")).utf8)
            _ = try Self.connector.receive(request)
        }
        #expect(throws: ConnectorRejection.unauthenticated("missing X-Twilio-Signature header")) {
            try Self.connector.receive(
                ConnectorRequest(
                    headers: [:], body: Array(Self.form(parameters).utf8), url: Self.url, receivedAt: Date()))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("ConversationSid"))) {
            try Self.connector.receive(Self.request(parameters.filter { $0.0 != "ConversationSid" }))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("EventType"))) {
            try Self.connector.receive(Self.request(parameters.filter { $0.0 != "EventType" }))
        }
        #expect(throws: ConnectorRejection.payload(.missingField("Body"))) {
            try Self.connector.receive(Self.request(Self.messageAdded(body: " ")))
        }
        #expect(
            throws: ConnectorRejection.payload(
                .invalidField("DateCreated", "\"yesterday\" is not an ISO 8601 date-time"))
        ) {
            try Self.connector.receive(
                Self.request(parameters.map { $0.0 == "DateCreated" ? ($0.0, "yesterday") : $0 }))
        }
    }
}
