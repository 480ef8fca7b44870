import Foundation
import Testing
import StandardWebhooks

@Suite struct WebhookVerifierTests {
    let verifier: WebhookVerifier
    let signer: WebhookSigner

    init() throws {
        verifier = WebhookVerifier(secret: try ReferenceVector.webhookSecret())
        signer = WebhookSigner(secret: try ReferenceVector.webhookSecret())
    }

    /// Verifies the reference message, replacing whichever parts are given.
    func verify(
        id: String? = ReferenceVector.id,
        timestamp: String? = String(ReferenceVector.timestamp),
        signature: String? = ReferenceVector.signature,
        body: [UInt8] = ReferenceVector.body,
        now: Date = ReferenceVector.signedAt,
        with verifier: WebhookVerifier? = nil
    ) throws(WebhookVerificationError) {
        try (verifier ?? self.verifier).verify(id: id, timestamp: timestamp, signature: signature, body: body, now: now)
    }

    // MARK: Authentic messages

    @Test(arguments: [ReferenceVector.secret, ReferenceVector.unprefixedSecret])
    func acceptsTheReferenceVector(secret: String) throws {
        try verify(with: WebhookVerifier(secret: try WebhookSecret(secret)))
    }

    @Test func acceptsWithAnUnpaddedSecret() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.stringValue.hasSuffix("="))
        let unpadded = try WebhookSecret(secret.stringValue.filter { $0 != "=" })
        let signature = WebhookSigner(secret: secret).signature(id: "msg_1", timestamp: 1_700_000_000, body: [1, 2, 3])
        try WebhookVerifier(secret: unpadded).verify(
            id: "msg_1", timestamp: "1700000000", signature: signature, body: [1, 2, 3],
            now: Date(timeIntervalSince1970: 1_700_000_000)
        )
    }

    @Test func acceptsAFreshMessageAgainstTheRealClock() throws {
        let now = Int(Date().timeIntervalSince1970)
        let body = Data(#"{"type":"handoff"}"#.utf8)
        let headers = signer.headers(id: "msg_now", timestamp: now, body: body)
        try verifier.verify(id: headers[0].value, timestamp: headers[1].value, signature: headers[2].value, body: body)
    }

    @Test(arguments: [
        // The Standard Webhooks reference tests' own mixture.
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= VALID v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "VALID v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "v2,abc VALID",
        "v1a,xyz v1,!!!! v1, VALID",
        "  VALID  ",
        "v1,bm9wZQ== VALID",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",  // the valid one, unpadded
    ])
    func acceptsAValidEntryAmongOthers(header: String) throws {
        try verify(signature: header.replacingOccurrences(of: "VALID", with: ReferenceVector.signature))
    }

    // MARK: Signatures

    @Test(arguments: [
        "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v0,abc",
        "V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1",
        "v1a,",
        "   ",
        "v1g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ])
    func withoutAV1EntryThereIsNoSupportedSignature(header: String) {
        #expect(throws: WebhookVerificationError.noSupportedSignature) { try verify(signature: header) }
    }

    @Test(arguments: [
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "v1,dawfeoifkpqwoekfpqoekf",
        "v1,g0hM9SsE",
        "v1,",
        "v1,!!!!",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA",
        "v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=,",
    ])
    func wrongV1EntriesAreAMismatch(header: String) {
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verify(signature: header) }
    }

    @Test func tamperedBodyIsAMismatch() {
        #expect(throws: WebhookVerificationError.signatureMismatch) {
            try verify(body: Array(#"{"test": 2432232315}"#.utf8))
        }
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verify(body: ReferenceVector.body + [0x0A]) }
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verify(body: []) }
    }

    @Test func tamperedIdIsAMismatch() {
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJeK") }
    }

    @Test func tamperedTimestampIsAMismatch() {
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verify(timestamp: "1614265331") }
    }

    @Test func anotherSecretIsAMismatch() {
        let stranger = WebhookVerifier(secret: WebhookSecret.generate())
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verify(with: stranger) }
    }

    /// One verifier, shared by many tasks: the pre-keyed HMAC inside is copied, never mutated.
    @Test func oneVerifierServesConcurrentTasks() async throws {
        let secret = WebhookSecret.generate()
        let signer = WebhookSigner(secret: secret)
        let verifier = WebhookVerifier(secret: secret)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for message in 0..<500 {
                        let id = "msg_\(task)_\(message)"
                        let body = Array("{\"n\":\(message)}".utf8)
                        let signature = signer.signature(id: id, timestamp: 1_700_000_000, body: body)
                        do {
                            try verifier.verify(id: id, timestamp: "1700000000", signature: signature, body: body, now: now)
                            try verifier.verify(id: id, timestamp: "1700000000", signature: signature, body: body + [0], now: now)
                            failures += 1  // the tampered body must not verify
                        } catch WebhookVerificationError.signatureMismatch {
                        } catch {
                            failures += 1
                        }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    // MARK: Timestamps

    /// Seconds between the signature and the receiver's clock, and whether it is accepted.
    @Test(arguments: [
        (-301.0, false), (-300.0, true), (-299.5, true), (0.0, true),
        (299.0, true), (300.0, true), (300.9, true), (301.0, false), (86_400.0, false),
    ])
    func defaultToleranceIsFiveMinutesEitherWay(clockOffset: Double, accepted: Bool) throws {
        let now = ReferenceVector.signedAt.addingTimeInterval(clockOffset)
        if accepted {
            try verify(now: now)
        } else {
            #expect(throws: WebhookVerificationError.timestampOutsideTolerance) { try verify(now: now) }
        }
    }

    @Test(arguments: [(-11, false), (-10, true), (10, true), (11, false)])
    func toleranceIsConfigurable(clockOffset: Int, accepted: Bool) throws {
        let strict = WebhookVerifier(secret: try ReferenceVector.webhookSecret(), tolerance: .seconds(10))
        let now = ReferenceVector.signedAt.addingTimeInterval(TimeInterval(clockOffset))
        if accepted {
            try verify(now: now, with: strict)
        } else {
            #expect(throws: WebhookVerificationError.timestampOutsideTolerance) { try verify(now: now, with: strict) }
        }
    }

    @Test(arguments: ["0", "9223372036854775807", "99999999999"])
    func farAwayTimestampsAreOutsideTolerance(timestamp: String) {
        #expect(throws: WebhookVerificationError.timestampOutsideTolerance) { try verify(timestamp: timestamp) }
    }

    @Test(arguments: [
        "hello", "1614265330.5", "-1614265330", "+1614265330", " 1614265330", "1614265330 ",
        "1.6e9", "0x603821F2", "99999999999999999999999", "١٦١٤٢٦٥٣٣٠",
    ])
    func malformedTimestampIsRejected(timestamp: String) {
        #expect(throws: WebhookVerificationError.malformedTimestamp) { try verify(timestamp: timestamp) }
    }

    @Test func timestampIsCheckedBeforeTheSignature() {
        #expect(throws: WebhookVerificationError.malformedTimestamp) { try verify(timestamp: "soon", signature: "v2,x") }
        #expect(throws: WebhookVerificationError.timestampOutsideTolerance) {
            try verify(signature: "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", now: Date())
        }
    }

    // MARK: Headers

    @Test(arguments: [nil, ""])
    func missingHeadersAreNamed(value: String?) {
        #expect(throws: WebhookVerificationError.missingHeader("webhook-id")) { try verify(id: value) }
        #expect(throws: WebhookVerificationError.missingHeader("webhook-timestamp")) { try verify(timestamp: value) }
        #expect(throws: WebhookVerificationError.missingHeader("webhook-signature")) { try verify(signature: value) }
    }

    @Test func allHeadersMissingReportsTheIdFirst() {
        #expect(throws: WebhookVerificationError.missingHeader("webhook-id")) {
            try verify(id: nil, timestamp: nil, signature: nil)
        }
    }
}
