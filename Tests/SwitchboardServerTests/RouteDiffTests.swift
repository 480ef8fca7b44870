import SwitchboardCore
import Testing

@testable import SwitchboardServer

/// The diffs the audit trail keeps: unified, per file, with three lines of context.
@Suite("Route diffs")
struct RouteDiffTests {
    static let lines = (1...12).map { "line \($0)" }

    static func file(_ lines: [String], name: String = "support.yaml") -> RouteFile {
        RouteFile(name: name, yaml: lines.joined(separator: "\n") + "\n")
    }

    @Test("one changed line: a hunk with three lines of context each side and both line ranges")
    func oneLine() {
        var changed = Self.lines
        changed[5] = "line six"
        let diff = RouteDiff.unified(from: [Self.file(Self.lines)], to: [Self.file(changed)])
        #expect(
            diff == """
                --- a/support.yaml
                +++ b/support.yaml
                @@ -3,7 +3,7 @@
                 line 3
                 line 4
                 line 5
                -line 6
                +line six
                 line 7
                 line 8
                 line 9

                """)
    }

    @Test("changes far apart make two hunks; close ones share one; lines added at the end count in the new range")
    func hunks() {
        var changed = Self.lines
        changed[0] = "first"
        changed[11] = "last"
        let far = RouteDiff.unified(from: [Self.file(Self.lines)], to: [Self.file(changed)])
        #expect(far.components(separatedBy: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,4 +1,4 @@", "@@ -9,4 +9,4 @@"])

        var near = Self.lines
        near[3] = "four"
        near[8] = "nine"
        let close = RouteDiff.unified(from: [Self.file(Self.lines)], to: [Self.file(near)])
        #expect(close.components(separatedBy: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,12 +1,12 @@"])

        let added = RouteDiff.unified(from: [Self.file(Self.lines)], to: [Self.file(Self.lines + ["line 13"])])
        #expect(added.contains("@@ -10,3 +10,4 @@\n line 10\n line 11\n line 12\n+line 13\n"))
    }

    @Test("a file added or removed is diffed against /dev/null; equal tables give an empty diff")
    func filesAddedAndRemoved() {
        let extra = Self.file(["a: 1"], name: "extra.yaml")
        let added = RouteDiff.unified(from: [Self.file(Self.lines)], to: [Self.file(Self.lines), extra])
        #expect(added == "--- /dev/null\n+++ b/extra.yaml\n@@ -0,0 +1,1 @@\n+a: 1\n")
        let removed = RouteDiff.unified(from: [Self.file(Self.lines), extra], to: [Self.file(Self.lines)])
        #expect(removed == "--- a/extra.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a: 1\n")
        #expect(RouteDiff.unified(from: [Self.file(Self.lines)], to: [Self.file(Self.lines)]).isEmpty)
    }
}
