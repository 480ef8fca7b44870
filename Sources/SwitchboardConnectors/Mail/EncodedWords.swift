import Foundation

/// RFC 2047 encoded words in a header (`=?ISO-8859-15?Q?Caf=E9?=`, `=?UTF-8?B?w6k=?=`), decoded.
///
/// Whitespace between two adjacent encoded words is dropped, as the RFC says; `_` in the Q
/// encoding is a space. A word that cannot be read stays as written.
enum EncodedWords {
    static func decode(_ header: String) -> String {
        guard header.contains("=?") else { return header }
        var out = ""
        var rest = Substring(header)
        var pendingSpace = ""  // whitespace after an encoded word, dropped if another one follows
        var lastWasEncoded = false
        while let start = rest.range(of: "=?") {
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
    private static func word(in text: Substring) -> (String, Substring.Index)? {
        let body = text.dropFirst(2)
        let fields = body.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let close = fields[2].range(of: "?=") else { return nil }
        let charset = fields[0].split(separator: "*").first.map(String.init) ?? ""
        let encoded = fields[2][..<close.lowerBound]
        guard !charset.isEmpty, !charset.contains(" "), !encoded.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch fields[1].lowercased() {
        case "b": bytes = TransferEncoding.base64(Array(encoded.utf8))
        case "q": bytes = TransferEncoding.quotedPrintable(Array(encoded.utf8).map { $0 == 95 ? 32 : $0 })
        default: return nil
        }
        return (MailCharset.decode(bytes, charset: charset), close.upperBound)
    }
}
