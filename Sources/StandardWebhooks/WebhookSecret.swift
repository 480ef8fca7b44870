import Crypto
import Foundation

/// The symmetric key that both signs and verifies webhooks.
///
/// Written as `whsec_` followed by the base64 of the key bytes. The secret is never
/// shown by `description`, `debugDescription` or `dump`; only ``stringValue`` reveals it.
public struct WebhookSecret: Sendable {
    private static let prefix = "whsec_"

    /// The raw key bytes.
    let key: [UInt8]

    /// How many bytes the key has (a strength check; the key itself never leaves this type).
    public var keyByteCount: Int { key.count }

    /// An HMAC already keyed with ``key``: copies of it skip the per-message key schedule.
    let keyedHMAC: HMAC<SHA256>

    /// Reads a secret written as `whsec_<base64>`, or as the base64 alone.
    ///
    /// Padding is optional and surrounding whitespace (a trailing newline from a file,
    /// say) is ignored.
    /// - Throws: ``WebhookVerificationError/malformedSecret`` when the text is not base64
    ///   or decodes to no bytes.
    public init(_ secret: String) throws(WebhookVerificationError) {
        var text = Substring(secret).utf8
        while let first = text.first, Self.isWhitespace(first) { text.removeFirst() }
        while let last = text.last, Self.isWhitespace(last) { text.removeLast() }
        if text.starts(with: Self.prefix.utf8) {
            text.removeFirst(Self.prefix.utf8.count)
        }
        guard let key = Base64.decode(text), !key.isEmpty else {
            throw .malformedSecret
        }
        self.init(key: key)
    }

    /// Wraps raw key bytes. The Standard Webhooks spec recommends 24 to 64 of them.
    public init(key: [UInt8]) {
        self.key = key
        self.keyedHMAC = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// A new secret of 32 bytes from the system's cryptographically secure generator.
    public static func generate() -> WebhookSecret {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return WebhookSecret(key: key)
    }

    /// The key as a plain token: base64url without padding (43 characters for 32 bytes), for bearer tokens,
    /// passwords and path tokens (`switchboard secret --token`, desk tokens).
    public var tokenValue: String {
        let base64 = key.withUnsafeBytes { Base64.encode($0) }
        return String(base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").prefix { $0 != "=" })
    }

    /// The secret as `whsec_<base64>`, the form to hand to a webhook's receiver.
    public var stringValue: String {
        Self.prefix + key.withUnsafeBytes { Base64.encode($0) }
    }

    /// The HMAC-SHA256 of `"\(id).\(timestamp).\(body)"`.
    ///
    /// The short `id.timestamp.` prefix is assembled in a stack buffer and the body is fed
    /// in place, so the message is never concatenated: two `update` calls in all.
    func authenticationCode(
        id: String, timestamp: Int, body: some Collection<UInt8>
    ) -> HMAC<SHA256>.MAC {
        var hmac = keyedHMAC
        let idBytes = id.utf8
        // The id, two dots, and an Int's at most 19 digits and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: idBytes.count + 22) { buffer in
            var end = buffer.initialize(fromContentsOf: idBytes)
            func append(_ byte: UInt8) {
                buffer.initializeElement(at: end, to: byte)
                end += 1
            }
            append(UInt8(ascii: "."))
            if timestamp < 0 { append(UInt8(ascii: "-")) }
            let firstDigit = end
            var rest = timestamp.magnitude
            repeat {
                append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            buffer[firstDigit..<end].reverse()
            append(UInt8(ascii: "."))
            // UInt8 is trivial: the buffer needs no deinitialization.
            hmac.update(data: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<end])))
        }
        let contiguous: Void? = body.withContiguousStorageIfAvailable {
            hmac.update(data: UnsafeRawBufferPointer($0))
        }
        if contiguous == nil {
            var chunk = [UInt8]()
            chunk.reserveCapacity(4096)
            for byte in body {
                chunk.append(byte)
                if chunk.count == 4096 {
                    hmac.update(data: chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            hmac.update(data: chunk)
        }
        return hmac.finalize()
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

extension WebhookSecret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A fixed placeholder: the secret never reaches logs through string interpolation.
    public var description: String { "WebhookSecret(redacted)" }
    /// A fixed placeholder, as ``description``.
    public var debugDescription: String { description }
    /// A mirror with no children, so `dump` does not print the key either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
