/// Message ids as email headers write them (`Message-ID`, `In-Reply-To`, `References`), normalised
/// to compare equal across headers and mail clients.
enum MessageIDs {
    /// The ids in a header value, in order: each `<...>`, or each whitespace- or comma-separated
    /// word when the value has no angle brackets; without `<>` and whitespace, empty ones left out.
    static func all(in value: String?) -> [String] {
        guard let value else { return [] }
        let pieces: [Substring]
        if value.contains("<") {
            pieces = value.split(separator: "<").compactMap { part in
                part.firstIndex(of: ">").map { part[..<$0] }
            }
        } else {
            pieces = value.split { $0.isWhitespace || $0 == "," }
        }
        return pieces.map(normalise).filter { !$0.isEmpty }
    }

    /// The first id in a header value (a thread's root, in `References`).
    static func first(in value: String?) -> String? { all(in: value).first }

    /// An id without angle brackets and whitespace (folded headers can break a long id).
    static func normalise(_ id: some StringProtocol) -> String {
        String(id.filter { !$0.isWhitespace && $0 != "<" && $0 != ">" })
    }
}
