import Testing

@testable import SwitchboardConnectors

/// The minimal HTML-to-text the connectors apply to message bodies.
@Suite("HTML text")
struct HTMLTextTests {
    @Test(
        "tags go, line-breaking tags become newlines, entities are decoded, plain text is kept",
        arguments: [
            ("<p>Hi</p><p>It&#39;s late &amp; lost</p>", "Hi\nIt's late & lost"),
            ("<div class=\"zd-comment\" dir=\"auto\">One<br>Two<br/>Three</div>", "One\nTwo\nThree"),
            (
                "&lt;b&gt; is bold&nbsp;text &quot;quoted&quot; &#x27;x&#x27; caf&#233;",
                "<b> is bold text \"quoted\" 'x' café"
            ),
            ("a < b and c > d & e", "a < b and c > d & e"),
            ("  plain text  ", "plain text"),
            ("<p>one</p>\n\n\n<p></p><p>two</p>", "one\n\ntwo"),
            ("<!-- note --><ul><li>first</li><li>second</li></ul>", "first\nsecond"),
        ])
    func plain(html: String, text: String) {
        #expect(HTMLText.plain(html) == text)
    }
}
