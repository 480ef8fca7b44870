import Foundation

/// An HTML body read as plain text, for platforms that send a message only as HTML.
///
/// Not an HTML parser: it drops `<script>`, `<style>` and `<head>` with their content and every
/// other tag, turns line-breaking tags into newlines, decodes the common entities, and collapses
/// the spaces of each line. A `<` that opens no tag (`5 < 6`) stays. Enough to route on and to show an agent; the platform keeps the original.
enum HTMLText {
    static func plain(_ html: String) -> String {
        var out = ""
        var index = html.startIndex
        // Once no `>` is left, no later `<` can open a tag: remembered, so that text with many
        // unclosed tags is read once instead of once per tag.
        var closesLeft = true
        while index < html.endIndex {
            let character = html[index]
            let next = html.index(after: index)
            // A tag opens with `<` then a letter, `/` or `!` (a comment); any other `<` is text.
            let opensTag =
                character == "<" && closesLeft && next < html.endIndex && (html[next].isLetter || "/!".contains(html[next]))
            let close = opensTag ? html[index...].firstIndex(of: ">") : nil
            if opensTag && close == nil { closesLeft = false }
            guard let close else {
                out.append(character)
                index = next
                continue
            }
            let tag = html[html.index(after: index)..<close].lowercased()
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
            index = html.index(after: close)
            if ["script", "style", "head"].contains(name), !tag.hasPrefix("/") {
                // Skip to the closing tag: its content is not text.
                if let end = closing(name, in: html, from: index) {
                    index = html[end...].firstIndex(of: ">").map { html.index(after: $0) } ?? html.endIndex
                } else {
                    index = html.endIndex
                }
            } else if name == "br" || (Self.blocks.contains(name) && !out.isEmpty && !out.hasSuffix("\n")) {
                // A line break always; a block's edge only where a line is not already ending.
                out.append("\n")
            }
        }
        let lines = decodeEntities(out).split(separator: "\n", omittingEmptySubsequences: false)
            .map {
                $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\r" }).joined(
                    separator: " ")
            }
        var paragraphs: [String] = []
        for line in lines where !(line.isEmpty && (paragraphs.last?.isEmpty ?? true)) { paragraphs.append(line) }
        while paragraphs.last?.isEmpty == true { paragraphs.removeLast() }
        return paragraphs.joined(separator: "\n")
    }

    /// Where `</name` next ends in `html` from `start`, in any case; nil when it does not appear.
    /// A scan of the bytes (`name` is ASCII: script, style, head).
    private static func closing(_ name: Substring, in html: String, from start: String.Index) -> String.Index? {
        let target = Array("</\(name)".lowercased().utf8)
        let utf8 = html.utf8
        var from = start
        while let open = utf8[from...].firstIndex(of: UInt8(ascii: "<")) {
            var index = open
            var matched = 0
            while matched < target.count, index < utf8.endIndex, asciiLowercased(utf8[index]) == target[matched] {
                index = utf8.index(after: index)
                matched += 1
            }
            if matched == target.count { return index }
            from = utf8.index(after: open)
        }
        return nil
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte + 32 : byte
    }

    private static let blocks: Set<Substring> = [
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    ]

    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "#39": "'",
    ]

    /// `&amp;`, `&lt;`, `&#233;`, `&#xE9;` and the like; an unknown entity stays as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";"), let decoded = entity(String(after[..<semicolon])) {
                out += decoded
                rest = after[after.index(after: semicolon)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }

    private static func entity(_ name: String) -> String? {
        if let known = entities[name.lowercased()] { return known }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let code = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }
}
