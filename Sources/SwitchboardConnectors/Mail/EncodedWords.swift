import Foundation

/// RFC 2047 encoded words in a header (`=?ISO-8859-15?Q?Caf=E9?=`, `=?UTF-8?B?w6k=?=`), decoded.
///
/// Whitespace between two adjacent encoded words is dropped, as the RFC says; `_` in the Q
/// encoding is a space. A word that cannot be read stays as written.
enum EncodedWords {
    private static let opening = Array("=?".utf8)

    static func decode(_ header: String) -> String {
        guard header.contains("=?") else { return header }
        var out = ""
        var rest = Substring(header)
        var pendingSpace = ""  // whitespace after an encoded word, dropped if another one follows
        var lastWasEncoded = false
        while let start = rest.utf8.firstRange(of: opening) {
            let before = rest[..<start.lowerBound]
            guard let (decoded, end) = word(in: rest[start.lowerBound...]) else {
                out += pendingSpace + rest[..<start.upperBound]
                pendingSpace = ""
                lastWasEncoded = false
                rest = rest[start.upperBound...]
                continue
            }
            if !(lastWasEncoded && before.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })) {
                out += pendingSpace + before
            }
            out += decoded
            pendingSpace = ""
            lastWasEncoded = true
            rest = rest[end...]
            let spaces = rest.prefix { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
            pendingSpace = String(spaces)
            rest = rest[spaces.endIndex...]
        }
        return out + pendingSpace + rest
    }

    /// The encoded word at the start of `text` (which begins with `=?`), decoded, and where it ends.
    ///
    /// Read in one pass that stops at the first space or stray `?`: none may appear inside a word,
    /// so a header with many `=?` that never close is read a bounded number of times, not once per `=?`.
    private static func word(in text: Substring) -> (String, Substring.Index)? {
        let utf8 = text.utf8
        var index = utf8.index(utf8.startIndex, offsetBy: 2)
        /// The field up to the next `?`; nil at a space or the end.
        func field() -> Range<Substring.Index>? {
            let start = index
            while index < utf8.endIndex {
                switch utf8[index] {
                case UInt8(ascii: "?"):
                    defer { index = utf8.index(after: index) }
                    return start..<index
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): return nil
                default: index = utf8.index(after: index)
                }
            }
            return nil
        }
        guard let charsetField = field(), let encodingField = field(), let encodedField = field(),
            index < utf8.endIndex, utf8[index] == UInt8(ascii: "=")
        else { return nil }
        let end = utf8.index(after: index)
        let charset = text[charsetField].split(separator: "*").first.map(String.init) ?? ""
        let encoded = text[encodedField]
        guard !charset.isEmpty else { return nil }
        let bytes: [UInt8]
        switch text[encodingField].lowercased() {
        case "b": bytes = TransferEncoding.base64(Array(encoded.utf8))
        case "q": bytes = TransferEncoding.quotedPrintable(Array(encoded.utf8).map { $0 == 95 ? 32 : $0 })
        default: return nil
        }
        return (MailCharset.decode(bytes, charset: charset), end)
    }
}
