import Foundation

/// Where an IMAP source's mailbox is, as the URLs libcurl takes for it.
///
/// From `imaps://mail.example.com/INBOX`: the server (`imaps://mail.example.com/`, where custom
/// commands that name the mailbox go), the mailbox name (`INBOX`, percent-decoded), and the mailbox
/// pinned to a UIDVALIDITY (`.../INBOX;UIDVALIDITY=v`; libcurl refuses a transfer when the server's
/// differs, so a UID is never read against the wrong numbering).
public struct ImapMailbox: Sendable, Equatable {
    /// `imaps://mail.example.com/` (with userinfo and port as given).
    public var server: String
    /// The path segment as written in the URL, percent-encoding kept: `INBOX`, `Support%20Mail`.
    public var encodedName: String
    /// The mailbox name: `INBOX`.
    public var name: String

    /// Reads a mailbox URL; nil unless it is `imap://` or `imaps://` with a host. No path means `INBOX`.
    public init?(url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "imap" || scheme == "imaps" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        guard slash > rest.startIndex else { return nil }
        server = String(url[..<slash]) + "/"
        var path = slash < rest.endIndex ? String(rest[rest.index(after: slash)...]) : ""
        if let parameters = path.firstIndex(of: ";") { path = String(path[..<parameters]) }
        while path.hasSuffix("/") { path.removeLast() }
        encodedName = path.isEmpty ? "INBOX" : path
        name = encodedName.removingPercentEncoding ?? encodedName
    }

    /// The mailbox as an IMAP astring, quoted: `"INBOX"`.
    public var quotedName: String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The mailbox, selected only while its UIDVALIDITY is `validity`.
    public func url(validity: UInt64) -> String {
        "\(server)\(encodedName);UIDVALIDITY=\(validity)"
    }

    /// One message, by UID, under `validity`; `partial` limits it to its first bytes.
    public func messageURL(validity: UInt64, uid: UInt64, partial: Int? = nil) -> String {
        url(validity: validity) + "/;UID=\(uid)" + (partial.map { ";PARTIAL=0.\($0)" } ?? "")
    }
}
