import Foundation
import StandardWebhooks

/// The example published with the Standard Webhooks reference libraries: their tests
/// sign these values and expect exactly `signature`.
enum ReferenceVector {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let unprefixedSecret = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = 1_614_265_330
    static let body = Array(#"{"test": 2432232314}"#.utf8)
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    /// The moment the example was signed, as the receiver's clock.
    static let signedAt = Date(timeIntervalSince1970: TimeInterval(timestamp))

    static func webhookSecret() throws -> WebhookSecret {
        try WebhookSecret(secret)
    }
}
