/// The untagged responses Switchboard reads from custom IMAP commands, as libcurl returns them.
enum ImapResponse {
    /// `* STATUS INBOX (UIDNEXT 5 UIDVALIDITY 1795505510)`: the numbers by item name, uppercased.
    static func status(_ body: [UInt8]) -> [String: UInt64] {
        var items: [String: UInt64] = [:]
        for line in lines(body) where line.uppercased().hasPrefix("* STATUS ") {
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { continue }
            let words = line[line.index(after: open)..<close].split(separator: " ")
            for index in stride(from: 0, to: words.count - 1, by: 2) {
                if let number = UInt64(words[index + 1]) { items[words[index].uppercased()] = number }
            }
        }
        return items
    }

    /// `* SEARCH 3 4 7`: the numbers, over every SEARCH line.
    static func search(_ body: [UInt8]) -> [UInt64] {
        lines(body).filter { $0.uppercased().hasPrefix("* SEARCH") }
            .flatMap { $0.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt64($0) } }
    }

    private static func lines(_ body: [UInt8]) -> [String] {
        String(decoding: body, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0) }
    }
}
