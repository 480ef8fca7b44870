import Foundation
import Testing
import StandardWebhooks

@Suite struct WebhookVerificationErrorTests {
    static let allCases: [WebhookVerificationError] = [
        .missingHeader("webhook-id"), .missingHeader("webhook-timestamp"), .missingHeader("webhook-signature"),
        .malformedTimestamp, .timestampOutsideTolerance, .noSupportedSignature, .signatureMismatch, .malformedSecret,
    ]

    @Test func descriptionsAreDistinct() {
        let descriptions = Self.allCases.map(\.description)
        #expect(Set(descriptions).count == descriptions.count)
    }

    @Test(arguments: [
        (WebhookVerificationError.missingHeader("webhook-id"), "missing required header webhook-id"),
        (.missingHeader("webhook-signature"), "missing required header webhook-signature"),
        (.malformedTimestamp, "malformed webhook-timestamp"),
        (.timestampOutsideTolerance, "timestamp outside tolerance"),
        (.noSupportedSignature, "no v1 signature"),
        (.signatureMismatch, "signature mismatch"),
        (.malformedSecret, "malformed webhook secret"),
    ])
    func descriptionNamesTheProblem(error: WebhookVerificationError, phrase: String) {
        #expect(error.description.contains(phrase))
        #expect(error.localizedDescription == error.description)
        #expect("\(error)" == error.description)
    }

    /// Every error a verifier or secret can throw, as thrown, says nothing of the secret.
    @Test func descriptionsNeverContainTheSecret() throws {
        let secret = try ReferenceVector.webhookSecret()
        let verifier = WebhookVerifier(secret: secret)
        func verify(_ id: String?, _ timestamp: String, _ signature: String) throws(WebhookVerificationError) {
            try verifier.verify(
                id: id, timestamp: timestamp, signature: signature,
                body: ReferenceVector.body, now: ReferenceVector.signedAt
            )
        }
        let thrown = [
            #expect(throws: WebhookVerificationError.self) { try verify(nil, "1", "v1,a") },
            #expect(throws: WebhookVerificationError.self) { try verify("m", "x", "v1,a") },
            #expect(throws: WebhookVerificationError.self) { try verify("m", "1", "v1,a") },
            #expect(throws: WebhookVerificationError.self) { try verify("m", "1614265330", "v2,a") },
            #expect(throws: WebhookVerificationError.self) { try verify("m", "1614265330", "v1,a") },
            #expect(throws: WebhookVerificationError.self) { try WebhookSecret(ReferenceVector.secret + "!") },
        ].compactMap(\.self)
        #expect(thrown.count == 6)
        #expect(Set(thrown.map { $0.description }).count == 6)
        for error in thrown {
            for shown in [error.description, error.localizedDescription, String(reflecting: error)] {
                #expect(!shown.contains("MfKQ9r8G"))
                #expect(!shown.contains("g0hM9SsE"))
            }
        }
    }
}
