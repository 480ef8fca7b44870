import Foundation

/// A `From` header's mailbox: `"Ana Ruiz" <ana@example.com>`, `Ana <ana@example.com>`,
/// `ana@example.com (Ana Ruiz)` or a bare address; the display name with encoded words decoded.
struct MailAddress: Equatable {
    var email: String
    var name: String?

    init?(_ header: String?) {
        guard let header, !header.isEmpty else { return nil }
        // The first mailbox of a list.
        var field = header
        if let open = field.firstIndex(of: "<"), let close = field[open...].firstIndex(of: ">") {
            email = field[field.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            field = String(field[..<open])
        } else if let open = field.firstIndex(of: "("), let close = field.lastIndex(of: ")"), open < close {
            email = field[..<open].trimmingCharacters(in: .whitespaces)
            field = String(field[field.index(after: open)..<close])
        } else {
            email = field.trimmingCharacters(in: .whitespaces)
            field = ""
        }
        var display = EncodedWords.decode(field.trimmingCharacters(in: .whitespaces))
        if display.hasPrefix("\""), display.hasSuffix("\""), display.count >= 2 {
            display = String(display.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        name = display.isBlank ? nil : display
        guard EmailAddress.isAddress(email) else { return nil }
    }
}
