import Foundation

/// Why a webhook was refused, or why a secret could not be read.
///
/// The ``description`` of each case is written to be returned to the webhook's sender:
/// it names the problem and never contains the secret or the expected signature.
public enum WebhookVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required header is absent or empty; the associated value is its name, such as `webhook-id`.
    case missingHeader(String)
    /// `webhook-timestamp` is not a whole number of seconds since the Unix epoch.
    case malformedTimestamp
    /// `webhook-timestamp` is further from the receiver's clock than the verifier's tolerance.
    case timestampOutsideTolerance
    /// `webhook-signature` holds no `v1,<signature>` entry.
    case noSupportedSignature
    /// No `v1` signature in `webhook-signature` matches the id, timestamp and body.
    case signatureMismatch
    /// The secret is neither `whsec_` followed by base64 nor base64 alone, or it decodes to no bytes.
    case malformedSecret

    /// A sentence naming the problem, fit to return to the sender.
    public var description: String {
        switch self {
        case .missingHeader(let name):
            "missing required header \(name)"
        case .malformedTimestamp:
            "malformed webhook-timestamp header: expected whole seconds since the Unix epoch"
        case .timestampOutsideTolerance:
            "webhook-timestamp outside tolerance: the message is too old or too far in the future"
        case .noSupportedSignature:
            "webhook-signature header has no v1 signature"
        case .signatureMismatch:
            "signature mismatch: no v1 signature in webhook-signature matches the message"
        case .malformedSecret:
            "malformed webhook secret: expected whsec_ followed by base64"
        }
    }
}

extension WebhookVerificationError: LocalizedError {
    /// The same text as ``description``, so `localizedDescription` is meaningful too.
    public var errorDescription: String? { description }
}
