import Foundation
import SwitchboardCore

/// An `application/x-www-form-urlencoded` body, read as the platform wrote it: its name-value
/// pairs in order, repeats kept (Twilio signs every value of a repeated name).
public struct FormBody: Sendable, Equatable {
    /// The decoded pairs, in the order they were sent.
    public var pairs: [(name: String, value: String)]

    public init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Parses a body: `&`-separated `name=value` pairs, `+` read as a space and `%XX` decoded.
    ///
    /// Percent-decoding is Foundation's (`removingPercentEncoding`, what `URLComponents` uses), run
    /// after `+` is replaced with a space. A malformed escape (`%ZZ`, or bytes that are not UTF-8)
    /// names the pair it is in.
    public init(parsing body: [UInt8]) throws(PayloadError) {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .malformed("the form body is not UTF-8")
        }
        var pairs: [(name: String, value: String)] = []
        for field in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], field: String(parts[0]))
            let value = parts.count > 1 ? try Self.decode(parts[1], field: name) : ""
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    private static func decode(_ text: Substring, field: String) throws(PayloadError) -> String {
        // Most names and many values need no decoding: taken as they are, without Foundation's work.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw .invalidField(field, "malformed percent-encoding")
        }
        return decoded
    }

    /// The first value sent under `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    public static func == (lhs: FormBody, rhs: FormBody) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }
}
