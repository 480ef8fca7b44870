import Foundation

/// Bytes of a mail part or encoded word read as text in their declared charset.
///
/// UTF-8 and US-ASCII, ISO-8859-1 (Latin-1), ISO-8859-15 (Latin-9: Latin-1 with the euro sign and
/// seven letters in place of eight symbols) and Windows-1252 are decoded here, by table, the same on
/// every platform. Any other charset is read as UTF-8 when the bytes are valid UTF-8, else as
/// Windows-1252, so the text is never lost.
enum MailCharset {
    /// The text of `bytes` in `charset` (a MIME charset name, any case; nil means US-ASCII).
    static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        let name = (charset ?? "us-ascii").trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "_", with: "-")
        switch name {
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "iso-8859-15", "iso8859-15", "latin9", "latin-9", "l9":
            return String(String.UnicodeScalarView(bytes.map { latin9[$0] ?? Unicode.Scalar($0) }))
        case "windows-1252", "cp1252", "x-cp1252":
            return windows1252(bytes)
        default:
            // UTF-8, US-ASCII (a subset) and unknown charsets: UTF-8 if it is, else Windows-1252.
            if let text = String(validating: Array(bytes), as: UTF8.self) { return text }
            return windows1252(bytes)
        }
    }

    /// Windows-1252: Latin-1 with printable characters in 0x80–0x9F (the five unassigned bytes
    /// stay the C1 controls, as browsers read them).
    private static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        String(
            String.UnicodeScalarView(
                bytes.map { byte in
                    guard (0x80...0x9F).contains(byte), let scalar = Unicode.Scalar(cp1252High[Int(byte) - 0x80]) else {
                        return Unicode.Scalar(byte)
                    }
                    return scalar
                }))
    }

    /// The eight code points where ISO-8859-15 differs from ISO-8859-1.
    private static let latin9: [UInt8: Unicode.Scalar] = [
        0xA4: "\u{20AC}", 0xA6: "\u{0160}", 0xA8: "\u{0161}", 0xB4: "\u{017D}",
        0xB8: "\u{017E}", 0xBC: "\u{0152}", 0xBD: "\u{0153}", 0xBE: "\u{0178}",
    ]

    /// Windows-1252 bytes 0x80–0x9F.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
