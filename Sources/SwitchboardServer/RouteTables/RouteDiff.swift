import SwitchboardCore

/// Unified diffs between two versions of a routing table, file by file, for the audit trail and the
/// admin page. The line matching is the standard library's (`CollectionDifference`).
enum RouteDiff {
    /// Lines of context around each change.
    static let context = 3

    /// A unified diff from `old` to `new` (`--- a/name`, `+++ b/name`, `@@` hunks); empty when they are equal.
    static func unified(from old: [RouteFile], to new: [RouteFile]) -> String {
        let before = Dictionary(old.map { ($0.name, $0.yaml) }, uniquingKeysWith: { $1 })
        let after = Dictionary(new.map { ($0.name, $0.yaml) }, uniquingKeysWith: { $1 })
        var out: [String] = []
        for name in Set(before.keys).union(after.keys).sorted() where before[name] != after[name] {
            out.append(before[name] == nil ? "--- /dev/null" : "--- a/\(name)")
            out.append(after[name] == nil ? "+++ /dev/null" : "+++ b/\(name)")
            out += hunks(from: lines(before[name]), to: lines(after[name]))
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    private static func lines(_ text: String?) -> [Substring] {
        guard let text, !text.isEmpty else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    private enum Tag: Character { case same = " ", removed = "-", added = "+" }

    /// The `@@` hunks of a line diff.
    private static func hunks(from old: [Substring], to new: [Substring]) -> [String] {
        let difference = new.difference(from: old)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // The whole script: each line with its tag and its line numbers in the old and the new text.
        var script: [(tag: Tag, text: Substring, old: Int, new: Int)] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, removed.contains(i) {
                script.append((.removed, old[i], i, j))
                i += 1
            } else if j < new.count, inserted.contains(j) {
                script.append((.added, new[j], i, j))
                j += 1
            } else {
                script.append((.same, old[i], i, j))
                i += 1
                j += 1
            }
        }
        let changed = script.indices.filter { script[$0].tag != .same }
        var out: [String] = []
        var index = 0
        while index < changed.count {
            let start = max(0, changed[index] - context)
            var end = min(script.count - 1, changed[index] + context)
            while index + 1 < changed.count, changed[index + 1] - context <= end + 1 {
                index += 1
                end = min(script.count - 1, changed[index] + context)
            }
            let hunk = script[start...end]
            let oldCount = hunk.filter { $0.tag != .added }.count
            let newCount = hunk.filter { $0.tag != .removed }.count
            let oldStart = oldCount == 0 ? hunk.first!.old : hunk.first!.old + 1
            let newStart = newCount == 0 ? hunk.first!.new : hunk.first!.new + 1
            out.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            out += hunk.map { String($0.tag.rawValue) + $0.text }
            index += 1
        }
        return out
    }
}
