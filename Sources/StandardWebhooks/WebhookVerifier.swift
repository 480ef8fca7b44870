import Crypto
import Foundation

/// Verifies incoming webhooks per the Standard Webhooks spec.
public struct WebhookVerifier: Sendable {
    let secret: WebhookSecret
    let tolerance: Duration

    /// Creates a verifier for `secret`.
    ///
    /// - Parameters:
    ///   - secret: The secret shared with the sender.
    ///   - tolerance: How far `webhook-timestamp` may be from the receiver's clock, in
    ///     either direction; a difference of exactly `tolerance` is still accepted.
    public init(secret: WebhookSecret, tolerance: Duration = .seconds(300)) {
        self.secret = secret
        self.tolerance = tolerance
    }

    /// Checks one message's headers against its body; returns normally when it is authentic.
    ///
    /// Checks run cheapest first: the three headers are present and non-empty, the
    /// timestamp is whole Unix seconds within the tolerance, `webhook-signature` holds at
    /// least one `v1,<base64>` entry (entries of other versions are skipped), and at least
    /// one of those entries equals the HMAC, compared in constant time.
    ///
    /// Throws WebhookVerificationError; `now` is injectable for tests.
    /// - Parameters:
    ///   - id: The `webhook-id` header, or `nil` when absent.
    ///   - timestamp: The `webhook-timestamp` header, or `nil` when absent.
    ///   - signature: The `webhook-signature` header, or `nil` when absent.
    ///   - body: The raw request body, exactly as received.
    ///   - now: The receiver's clock; it is truncated to whole seconds, as the header is.
    public func verify(
        id: String?,
        timestamp: String?,
        signature: String?,
        body: some Collection<UInt8>,
        now: Date = Date()
    ) throws(WebhookVerificationError) {
        guard let id, !id.isEmpty else { throw .missingHeader(WebhookHeaderName.id) }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader(WebhookHeaderName.timestamp) }
        guard var signature, !signature.isEmpty else { throw .missingHeader(WebhookHeaderName.signature) }

        let seconds = try Self.parse(timestamp: timestamp)
        guard isWithinTolerance(seconds, now: now) else { throw .timestampOutsideTolerance }

        let outcome = signature.withUTF8 { header in
            match(header, id: id, timestamp: seconds, body: body)
        }
        switch outcome {
        case .matched: return
        case .mismatched: throw .signatureMismatch
        case .noVersion1: throw .noSupportedSignature
        }
    }

    private enum Outcome { case matched, mismatched, noVersion1 }

    private static let space = UInt8(ascii: " ")
    private static let version1 = Array("v1,".utf8)

    /// Looks for a `v1` entry equal to the message's HMAC, which is computed only once a
    /// well-formed `v1` entry turns up.
    private func match(
        _ header: UnsafeBufferPointer<UInt8>, id: String, timestamp: Int, body: some Collection<UInt8>
    ) -> Outcome {
        var sawVersion1 = false
        var expected: HMAC<SHA256>.MAC?
        for entry in header.split(separator: Self.space) where entry.starts(with: Self.version1) {
            sawVersion1 = true
            guard let candidate = Base64.decode(entry.dropFirst(Self.version1.count)),
                  candidate.count == SHA256.byteCount
            else { continue }
            let mac = expected ?? secret.authenticationCode(id: id, timestamp: timestamp, body: body)
            expected = mac
            if Self.constantTimeEquals(mac, candidate) { return .matched }
        }
        return sawVersion1 ? .mismatched : .noVersion1
    }

    /// Compares a MAC with an equally long candidate in time independent of their contents:
    /// every byte pair is XORed and the differences OR-accumulated, with no early exit, so
    /// timing reveals nothing about how many leading bytes an attacker guessed right.
    private static func constantTimeEquals(_ mac: HMAC<SHA256>.MAC, _ candidate: [UInt8]) -> Bool {
        mac.withUnsafeBytes { expected in
            guard expected.count == candidate.count else { return false }
            var difference: UInt8 = 0
            for index in 0..<expected.count {
                difference |= expected[index] ^ candidate[index]
            }
            return difference == 0
        }
    }

    /// Reads whole seconds written as ASCII digits alone: no sign, space or fraction.
    private static func parse(timestamp: String) throws(WebhookVerificationError) -> Int {
        guard timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let seconds = Int(timestamp)
        else { throw .malformedTimestamp }
        return seconds
    }

    private func isWithinTolerance(_ timestamp: Int, now: Date) -> Bool {
        guard let nowSeconds = Int(exactly: now.timeIntervalSince1970.rounded(.down)) else { return false }
        let (delta, overflow) = nowSeconds.subtractingReportingOverflow(timestamp)
        return !overflow && Duration.seconds(delta.magnitude) <= tolerance
    }
}
