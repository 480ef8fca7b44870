/// A message or one part of it: its headers, its raw body, and the parts of a multipart body.
struct MIMEPart {
    var headers: MIMEHeaders
    /// The body as sent, transfer encoding still applied.
    var body: ArraySlice<UInt8>
    /// The parts of a `multipart/*` body, in order; empty for a leaf.
    var parts: [MIMEPart]
    /// `text/plain` when the part does not say (RFC 2045's default).
    var contentType: HeaderValue

    /// How deep multipart bodies are read: each level reads its body again, so a message nested
    /// deeper (no mail client nests more than a few levels) costs no more than this many readings.
    static let maximumDepth = 6
    /// How many parts a message is read into, over all levels; the parts after them are left unread,
    /// so that a message of many tiny parts costs no more than a few large ones.
    static let maximumParts = 200

    /// Parses a whole message.
    init(message bytes: ArraySlice<UInt8>) {
        var partsLeft = Self.maximumParts
        self.init(bytes, depth: Self.maximumDepth, partsLeft: &partsLeft)
    }

    /// Parses a message or part; nesting deeper than `depth` is left as a leaf, and no more than
    /// `partsLeft` parts are read below it (the count is shared with the parts after it).
    private init(_ bytes: ArraySlice<UInt8>, depth: Int, partsLeft: inout Int) {
        let split = Self.headerEnd(in: bytes)
        headers = MIMEHeaders(bytes[bytes.startIndex..<split.headers])
        body = bytes[split.body...]
        let type = HeaderValue(headers["Content-Type"])
        contentType = type.value.isEmpty || !type.value.contains("/") ? Self.plainText : type
        if let charset = type.parameters["charset"], type.value.isEmpty { contentType.parameters["charset"] = charset }
        parts = []
        if contentType.value.hasPrefix("multipart/"), let boundary = contentType.parameters["boundary"], depth > 0 {
            for slice in Self.split(body, boundary: Array(("--" + boundary).utf8), limit: partsLeft) {
                partsLeft -= 1
                parts.append(MIMEPart(slice, depth: depth - 1, partsLeft: &partsLeft))
            }
        }
    }

    /// RFC 2045's type of a part that names none.
    private static let plainText = HeaderValue("text/plain; charset=us-ascii")

    /// The body without its transfer encoding.
    var decodedBody: [UInt8] {
        TransferEncoding.decode(Array(body), encoding: headers["Content-Transfer-Encoding"])
    }

    /// The body as text in the part's charset.
    var text: String {
        MailCharset.decode(decodedBody, charset: contentType.parameters["charset"])
    }

    /// The attachment's file name: `Content-Disposition`'s `filename`, else `Content-Type`'s `name`.
    var fileName: String? {
        HeaderValue(headers["Content-Disposition"]).parameters["filename"] ?? contentType.parameters["name"]
    }

    /// Whether this leaf is an attachment rather than the message's text: marked `attachment`, or
    /// named, or not text at all.
    var isAttachment: Bool {
        let disposition = HeaderValue(headers["Content-Disposition"]).value
        if disposition == "attachment" { return true }
        if !contentType.value.hasPrefix("text/") { return true }
        return fileName != nil && disposition != "inline"
    }

    /// The leaves, depth first, in order.
    var leaves: [MIMEPart] {
        parts.isEmpty ? [self] : parts.flatMap(\.leaves)
    }

    // MARK: Splitting

    /// Where the header block ends and the body starts: after the first empty line.
    private static func headerEnd(in bytes: ArraySlice<UInt8>) -> (headers: Int, body: Int) {
        var index = bytes.startIndex
        if bytes.first == 10 { return (index, index + 1) }
        if bytes.starts(with: [13, 10]) { return (index, index + 2) }
        while index < bytes.endIndex {
            if bytes[index] == 10 {
                let next = index + 1
                if next < bytes.endIndex, bytes[next] == 10 { return (index, next + 1) }
                if next + 1 < bytes.endIndex, bytes[next] == 13, bytes[next + 1] == 10 { return (index, next + 2) }
            }
            index += 1
        }
        return (bytes.endIndex, bytes.endIndex)
    }

    /// The parts between `--boundary` lines, up to `--boundary--`; each without the line break
    /// that belongs to the next delimiter.
    private static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8], limit: Int) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex, parts.count < limit {
            let lineEnd = body[lineStart...].firstIndex(of: 10) ?? body.endIndex
            let line = body[lineStart..<lineEnd]
            if line.starts(with: boundary) {
                let rest = line.dropFirst(boundary.count)
                let closing = rest.starts(with: [45, 45])  // "--"
                if closing || rest.allSatisfy({ $0 == 13 || $0 == 32 || $0 == 9 }) {
                    if let start = partStart {
                        // The line break before the delimiter belongs to it.
                        var end = lineStart
                        if end > start, body[end - 1] == 10 { end -= 1 }
                        if end > start, body[end - 1] == 13 { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    if closing { return parts }
                    partStart = min(lineEnd + 1, body.endIndex)
                }
            }
            lineStart = lineEnd + 1
        }
        if let start = partStart, start < body.endIndex, parts.count < limit { parts.append(body[start...]) }  // no closing delimiter
        return parts
    }
}
