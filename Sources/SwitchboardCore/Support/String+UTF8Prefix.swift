extension String {
    /// At most `limit` UTF-8 bytes from the start, cut before the scalar the limit falls in; the
    /// string itself when it is no longer.
    public func utf8Prefix(_ limit: Int) -> String {
        let utf8 = self.utf8
        guard let cut = utf8.index(utf8.startIndex, offsetBy: Swift.max(0, limit), limitedBy: utf8.endIndex),
            cut < utf8.endIndex
        else { return self }
        var end = cut
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(self[..<end])
    }
}
