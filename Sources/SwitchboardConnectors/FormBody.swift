import Foundation
import SwitchboardCore

/// An `application/x-www-form-urlencoded` body, read as the platform wrote it: its name-value
/// pairs in order, repeats kept (Twilio signs every value of a repeated name).
public struct FormBody: Sendable, Equatable {
    /// The decoded pairs, in the order they were sent.
    public var pairs: [(name: String, value: String)]

    /// The most pairs a body may hold: platforms send a few dozen (Twilio about twenty).
    public static let maximumPairs = 1_000

    public init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Parses a body: `&`-separated `name=value` pairs, `+` read as a space and `%XX` decoded.
    ///
    /// Read as bytes in one pass, as `URLComponents` reads a query: a malformed escape (`%ZZ`), or
    /// bytes that are not UTF-8 once decoded, name the pair they are in.
    /// - Throws: ``PayloadError`` for a malformed pair, and for more than ``maximumPairs`` pairs
    ///   (read before any signature is known to be right, so their number is bounded).
    public init(parsing body: [UInt8]) throws(PayloadError) {
        var pairs: [(name: String, value: String)] = []
        var start = body.startIndex
        while start < body.endIndex {
            let end = body[start...].firstIndex(of: UInt8(ascii: "&")) ?? body.endIndex
            let field = body[start..<end]
            start = end + 1
            if field.isEmpty { continue }
            guard pairs.count < Self.maximumPairs else {
                throw .malformed("the form has more than \(Self.maximumPairs) parameters")
            }
            let equals = field.firstIndex(of: UInt8(ascii: "=")) ?? field.endIndex
            let name = try Self.decode(field[..<equals]) { String(decoding: field[..<equals], as: UTF8.self) }
            let value = equals < field.endIndex ? try Self.decode(field[(equals + 1)...]) { name } : ""
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// `+` as a space, `%XX` as its byte, then UTF-8; `field` names the pair in an error.
    private static func decode(_ bytes: ArraySlice<UInt8>, field: () -> String) throws(PayloadError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = TransferEncoding.hex(bytes[index + 1]), let low = TransferEncoding.hex(bytes[index + 2]) else {
                    throw .invalidField(field(), "malformed percent-encoding")
                }
                decoded.append(high << 4 | low)
                index += 3
            case let byte:
                decoded.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw .invalidField(field(), "not UTF-8 once decoded")
        }
        return text
    }

    /// The first value sent under `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    public static func == (lhs: FormBody, rhs: FormBody) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }
}
