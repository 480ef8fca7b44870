/// Plain text from the small HTML platforms put in message bodies (`<p>Hi</p><br>`): line-breaking
/// tags become newlines, other tags are dropped, and the common entities are decoded. Text without
/// tags or entities comes back unchanged but for surrounding whitespace.
///
/// Deliberately minimal: message bodies are short fragments, not documents, and an agent reads the
/// result. A `<` that does not open a tag (`a < b`) is kept.
enum HTMLText {
    private static let breaking: Set<String> = [
        "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    ]
    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "#39": "'", "apos": "'", "nbsp": " ",
    ]

    static func plain(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else {
            return html.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var out = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = tagEnd(in: html, from: index) {
                let name = tagName(html[html.index(after: index)..<close])
                if breaking.contains(name), !out.isEmpty, !out.hasSuffix("\n") { out.append("\n") }
                index = html.index(after: close)
            } else if character == "&", let (decoded, next) = entity(in: html, at: index) {
                out.append(decoded)
                index = next
            } else {
                out.append(character)
                index = html.index(after: index)
            }
        }
        return collapsed(out)
    }

    /// The `>` closing a tag that starts at `start`: the character after `<` must be a letter, `/` or `!`.
    private static func tagEnd(in text: String, from start: String.Index) -> String.Index? {
        let after = text.index(after: start)
        guard after < text.endIndex else { return nil }
        let next = text[after]
        guard next.isLetter || next == "/" || next == "!" else { return nil }
        return text[after...].firstIndex(of: ">")
    }

    /// `p` from `p class="x"`, `/p` or `br/`.
    private static func tagName(_ inside: Substring) -> String {
        String(inside.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber })).lowercased()
    }

    /// A named entity from the table, or a numeric one (`&#233;`, `&#xE9;`).
    private static func entity(in text: String, at start: String.Index) -> (String, String.Index)? {
        let after = text.index(after: start)
        guard let semicolon = text[after...].prefix(10).firstIndex(of: ";") else { return nil }
        let name = String(text[after..<semicolon]).lowercased()
        let next = text.index(after: semicolon)
        if let known = entities[name] { return (known, next) }
        guard name.hasPrefix("#") else { return nil }
        let code = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16) : UInt32(name.dropFirst())
        guard let code, let scalar = Unicode.Scalar(code) else { return nil }
        return (String(Character(scalar)), next)
    }

    /// Trailing spaces off each line, at most one blank line in a row, no blank edges.
    private static func collapsed(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var clean = String(line)
            while let last = clean.last, last == " " || last == "\t" || last == "\r" { clean.removeLast() }
            if clean.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(clean)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
