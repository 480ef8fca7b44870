import Foundation

/// The header block of a message or MIME part: fields unfolded, in order, names compared
/// case-insensitively. Values are raw (encoded words not decoded); bytes that are not UTF-8 are
/// read as Windows-1252.
struct MIMEHeaders {
    private(set) var fields: [(name: String, value: String)] = []

    init(_ bytes: ArraySlice<UInt8>) {
        let text = MailCharset.decode(bytes, charset: "utf-8")
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.first == " " || line.first == "\t" {
                // A folded line continues the previous field.
                if !fields.isEmpty { fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces) }
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((
                    String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                    String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                ))
            }
        }
    }

    /// The first field named `name`, raw.
    subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every field named `name`, raw, in order (topmost first).
    func all(_ name: String) -> [String] {
        fields.compactMap { $0.name.caseInsensitiveCompare(name) == .orderedSame ? $0.value : nil }
    }

    /// The first field named `name` with its encoded words decoded.
    func text(_ name: String) -> String? {
        self[name].map(EncodedWords.decode)
    }
}

/// A structured field with parameters: `text/plain; charset="iso-8859-15"`, `attachment; filename=a.pdf`.
struct HeaderValue {
    /// The value before the first `;`, lowercased: `text/plain`, `attachment`.
    var value: String
    /// Parameters by lowercased name, unquoted; RFC 2231 `name*=charset''text` and continuations
    /// `name*0=`, `name*1=` joined and decoded; RFC 2047 words in them decoded.
    var parameters: [String: String]

    init(_ field: String?) {
        let pieces = Self.split(field ?? "")
        value = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        var plain: [String: String] = [:]
        var continued: [String: [(Int, String, Bool)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 {
                raw = String(raw.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            let extended = name.hasSuffix("*")
            if extended { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                continued[String(name[..<star]), default: []].append((index, raw, extended))
            } else if let star = name.lastIndex(of: "*"), Int(name[name.index(after: star)...]) != nil {
                continue
            } else {
                plain[name] = extended ? Self.extended(raw, first: true) : EncodedWords.decode(raw)
            }
        }
        for (name, parts) in continued where plain[name] == nil {
            let sorted = parts.sorted { $0.0 < $1.0 }
            let charset = sorted.first.flatMap { $0.2 ? Self.charset(of: $0.1) : nil }
            var bytes: [UInt8] = []
            for (offset, part) in sorted.enumerated() {
                var text = part.1
                if offset == 0, part.2, let quote = Self.valueStart(of: text) { text = String(text[quote...]) }
                bytes += part.2 ? Self.percentDecoded(text) : Array(text.utf8)
            }
            plain[name] = MailCharset.decode(bytes, charset: charset ?? "utf-8")
        }
        parameters = plain
    }

    /// Splits at `;` outside quotes.
    private static func split(_ field: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in field {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces
    }

    /// RFC 2231 `charset'language'percent-encoded`.
    private static func extended(_ raw: String, first: Bool) -> String {
        guard let start = valueStart(of: raw) else { return raw }
        return MailCharset.decode(percentDecoded(String(raw[start...])), charset: charset(of: raw) ?? "utf-8")
    }

    private static func charset(of raw: String) -> String? {
        let name = raw.prefix { $0 != "'" }
        return name.count < raw.count && !name.isEmpty ? String(name) : nil
    }

    /// Where the value starts after `charset'language'`.
    private static func valueStart(of raw: String) -> String.Index? {
        guard let first = raw.firstIndex(of: "'") else { return nil }
        guard let second = raw[raw.index(after: first)...].firstIndex(of: "'") else { return nil }
        return raw.index(after: second)
    }

    private static func percentDecoded(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 37, index + 2 < bytes.count, let high = TransferEncoding.hex(bytes[index + 1]),
                let low = TransferEncoding.hex(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}
