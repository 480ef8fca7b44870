import Foundation
import Testing
import StandardWebhooks

@Suite struct WebhookSecretTests {
    @Test func prefixedAndRawBase64ReadTheSameKey() throws {
        let prefixed = try WebhookSecret(ReferenceVector.secret)
        let raw = try WebhookSecret(ReferenceVector.unprefixedSecret)
        #expect(prefixed.stringValue == ReferenceVector.secret)
        #expect(raw.stringValue == ReferenceVector.secret)
    }

    /// Key lengths whose base64 needs two, one and no padding characters.
    @Test(arguments: [1, 2, 3, 24, 31, 32, 33, 64])
    func unpaddedSecretIsAccepted(length: Int) throws {
        let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let padded = WebhookSecret(key: key).stringValue
        let unpadded = padded.filter { $0 != "=" }
        #expect(try WebhookSecret(unpadded).stringValue == padded)
        #expect(try WebhookSecret(String(unpadded.dropFirst("whsec_".count))).stringValue == padded)
    }

    @Test func surroundingWhitespaceIsIgnored() throws {
        #expect(try WebhookSecret(" \(ReferenceVector.secret)\n").stringValue == ReferenceVector.secret)
    }

    @Test(arguments: [
        "", "   ", "whsec_", "whsec_!!!!", "whsec_abc=d", "whsec_a", "whsec_ab===", "whsec_abc==",
        "whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSé", "whsec_whsec_abcd",
    ])
    func malformedSecretIsRejected(_ text: String) {
        #expect(throws: WebhookVerificationError.malformedSecret) { try WebhookSecret(text) }
    }

    @Test func generatedSecretsAreThirtyTwoFreshBytes() throws {
        let first = WebhookSecret.generate()
        let second = WebhookSecret.generate()
        #expect(first.stringValue != second.stringValue)
        #expect(first.stringValue.hasPrefix("whsec_"))
        let encoded = first.stringValue.dropFirst("whsec_".count)
        #expect(Data(base64Encoded: String(encoded))?.count == 32)
        #expect(try WebhookSecret(first.stringValue).stringValue == first.stringValue)
    }

    @Test func secretIsRedactedFromDescriptionsAndDumps() throws {
        let secret = try ReferenceVector.webhookSecret()
        var dumped = ""
        dump(secret, to: &dumped)
        for shown in ["\(secret)", String(reflecting: secret), dumped] {
            #expect(!shown.contains(ReferenceVector.unprefixedSecret))
            #expect(!shown.contains("MfKQ9r8G"))
        }
        #expect("\(secret)" == "WebhookSecret(redacted)")
    }
}
