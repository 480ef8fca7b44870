import Crypto
import Foundation

/// The HMAC checks platforms use, compared in constant time, and the timestamp tolerance they share.
public enum Signature {
    public static func hmacSHA256(key: some DataProtocol, _ parts: [any DataProtocol]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(key)))
        for part in parts { hmac.update(data: Array(part)) }
        return Array(hmac.finalize())
    }

    public static func hmacSHA1(key: some DataProtocol, _ parts: [any DataProtocol]) -> [UInt8] {
        var hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array(key)))
        for part in parts { hmac.update(data: Array(part)) }
        return Array(hmac.finalize())
    }

    /// Whether two byte strings are equal, in time that depends only on their lengths.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Lower-case hexadecimal.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// Checks a presented signature against the expected MAC, written the way the platform writes it.
    public static func check(
        _ presented: String?, header: String, expected: [UInt8], encoding: Encoding
    ) throws(ConnectorRejection) {
        guard let presented, !presented.isEmpty else { throw .unauthenticated("missing \(header) header") }
        let written: String
        switch encoding {
        case .hex(let prefix):
            guard presented.hasPrefix(prefix) else { throw .unauthenticated("\(header) must start with \(prefix)") }
            written = prefix + hex(expected)
        case .base64:
            written = base64(expected)
        }
        guard equal(Array(presented.utf8), Array(written.utf8)) else {
            throw .unauthenticated("\(header) does not match the body")
        }
    }

    public enum Encoding: Sendable {
        /// `prefix` then lower-case hex (`v0=`, `sha1=`).
        case hex(prefix: String)
        case base64
    }

    /// Checks a Unix-seconds timestamp header against the clock.
    public static func checkTimestamp(
        _ value: String?, header: String, now: Date, tolerance: Duration
    ) throws(ConnectorRejection) {
        try checkInstant(value, header: header, written: "a Unix time", now: now, tolerance: tolerance) { text in
            // Front sends milliseconds; anything past the year 5000 in seconds is read as milliseconds.
            Double(text).map { Date(timeIntervalSince1970: $0 > 100_000_000_000 ? $0 / 1000 : $0) }
        }
    }

    /// Checks a signed timestamp header, read by `parse`, against the clock: missing, unreadable
    /// (`{header} is not {written}`) or outside the tolerance.
    static func checkInstant(
        _ value: String?, header: String, written: String, now: Date, tolerance: Duration, parse: (String) -> Date?
    ) throws(ConnectorRejection) {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw .unauthenticated("missing \(header) header")
        }
        guard let instant = parse(value) else { throw .unauthenticated("\(header) is not \(written)") }
        guard abs(now.timeIntervalSince(instant)) <= Double(tolerance.components.seconds) else {
            throw .timestampOutsideTolerance
        }
    }
}
