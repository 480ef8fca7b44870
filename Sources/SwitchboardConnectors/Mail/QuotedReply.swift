import Foundation

/// A reply's text without the history it quotes: `>` lines and the "On ... wrote:" line that
/// introduces them, and everything from an `-----Original Message-----` block (or Outlook's
/// underscore rule followed by `From:`) on.
///
/// When nothing but quotation is left, the text is kept as it was.
enum QuotedReply {
    static func strip(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        var kept: [String] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if isOriginalMessage(trimmed, next: index + 1 < lines.count ? lines[index + 1] : nil) { break }
            if trimmed.hasPrefix(">") {
                dropAttribution(from: &kept)
                continue
            }
            kept.append(line)
        }
        while let last = kept.last, last.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeLast() }
        while let first = kept.first, first.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeFirst() }
        let result = kept.joined(separator: "\n")
        return result.isEmpty ? text.trimmingCharacters(in: .whitespacesAndNewlines) : result
    }

    /// `-----Original Message-----` (any case, any dashes), or `____…` followed by a `From:` line.
    private static func isOriginalMessage(_ line: String, next: String?) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("-") && lower.contains("original message") { return true }
        if line.count >= 10, line.allSatisfy({ $0 == "_" }),
            next?.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("from:") == true
        {
            return true
        }
        return false
    }

    /// Removes the attribution above a quotation ("On Mon, ... Ana <a@b.c> wrote:", which clients
    /// may wrap over two lines), with the blank lines between them.
    private static func dropAttribution(from kept: inout [String]) {
        var end = kept.count
        while end > 0, kept[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        guard end > 0 else { return }
        let last = kept[end - 1].trimmingCharacters(in: .whitespaces)
        guard endsAttribution(last) else { return }
        var start = end - 1
        if !startsAttribution(last), start > 0, startsAttribution(kept[start - 1].trimmingCharacters(in: .whitespaces)) {
            start -= 1
        }
        kept.removeSubrange(start...)
    }

    private static let endings = ["wrote:", "writes:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "scritto:"]
    private static let beginnings = ["on ", "am ", "le ", "el ", "il "]

    private static func endsAttribution(_ line: String) -> Bool {
        let lower = line.lowercased()
        return endings.contains { lower.hasSuffix($0) }
    }

    private static func startsAttribution(_ line: String) -> Bool {
        let lower = line.lowercased()
        return beginnings.contains { lower.hasPrefix($0) }
    }
}
