import Foundation

/// A reply's text without the history it quotes: `>` lines and the "On ... wrote:" line that
/// introduces them, and everything from an `-----Original Message-----` block (or Outlook's
/// underscore rule followed by `From:`) on.
///
/// When nothing but quotation is left, the text is kept as it was. Linear in the text's length.
enum QuotedReply {
    static func strip(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var kept = Kept()
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if isOriginalMessage(trimmed, next: index + 1 < lines.count ? lines[index + 1] : nil) { break }
            if trimmed.hasPrefix(">") {
                kept.dropAttribution()
                continue
            }
            kept.append(line, trimmed: trimmed)
        }
        let result = kept.text
        return result.isEmpty ? text.trimmingCharacters(in: .whitespacesAndNewlines) : result
    }

    /// The lines kept so far, with the places of those that are not blank, so that finding the
    /// attribution above a quotation never reads back over blank lines (many blank lines between
    /// many quotations would be read once per quotation).
    private struct Kept {
        private var lines: [Substring] = []
        /// Each kept line that is not blank: its index in `lines` and its trimmed text.
        private var nonBlank: [(index: Int, trimmed: String)] = []

        mutating func append(_ line: Substring, trimmed: String) {
            if !trimmed.isEmpty { nonBlank.append((lines.count, trimmed)) }
            lines.append(line)
        }

        /// Removes the attribution above a quotation ("On Mon, ... Ana <a@b.c> wrote:", which
        /// clients may wrap over two lines), with the blank lines between them.
        mutating func dropAttribution() {
            guard let last = nonBlank.last, QuotedReply.endsAttribution(last.trimmed) else { return }
            var start = last.index
            if !QuotedReply.startsAttribution(last.trimmed), nonBlank.count > 1,
                nonBlank[nonBlank.count - 2].index == start - 1,
                QuotedReply.startsAttribution(nonBlank[nonBlank.count - 2].trimmed)
            {
                start -= 1
            }
            lines.removeSubrange(start...)
            while let top = nonBlank.last, top.index >= start { nonBlank.removeLast() }
        }

        /// The kept lines from the first to the last that is not blank.
        var text: String {
            guard let first = nonBlank.first, let last = nonBlank.last else { return "" }
            return lines[first.index...last.index].joined(separator: "\n")
        }
    }

    /// `-----Original Message-----` (any case, any dashes), or `____…` followed by a `From:` line.
    private static func isOriginalMessage(_ line: String, next: Substring?) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("-") && lower.contains("original message") { return true }
        if line.count >= 10, line.allSatisfy({ $0 == "_" }),
            next?.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("from:") == true
        {
            return true
        }
        return false
    }

    private static let endings = ["wrote:", "writes:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "scritto:"]
    private static let beginnings = ["on ", "am ", "le ", "el ", "il "]

    fileprivate static func endsAttribution(_ line: String) -> Bool {
        let lower = line.lowercased()
        return endings.contains { lower.hasSuffix($0) }
    }

    fileprivate static func startsAttribution(_ line: String) -> Bool {
        let lower = line.lowercased()
        return beginnings.contains { lower.hasPrefix($0) }
    }
}
