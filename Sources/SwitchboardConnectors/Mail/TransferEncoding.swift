import Foundation

/// A MIME part's `Content-Transfer-Encoding`, undone: quoted-printable and base64 decoded, `7bit`,
/// `8bit` and `binary` (and anything unknown) taken as they are.
enum TransferEncoding {
    static func decode(_ bytes: [UInt8], encoding: String?) -> [UInt8] {
        switch encoding?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "quoted-printable": quotedPrintable(bytes)
        case "base64": base64(bytes)
        default: bytes
        }
    }

    /// Base64 with line breaks and other noise skipped; what cannot be read is dropped.
    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var clean = bytes.filter { byte in
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 43 || byte == 47
        }
        while clean.count % 4 != 0 { clean.append(61) }  // "="
        return Data(base64Encoded: Data(clean)).map(Array.init) ?? []
    }

    /// Quoted-printable (RFC 2045): `=XX` is a byte, `=` at a line's end is a soft break,
    /// trailing spaces of a line are padding. A stray `=` stays as written.
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 61 {  // "="
                var next = index + 1
                // A soft line break: "=", optional spaces, then CRLF or LF.
                while next < bytes.count, bytes[next] == 32 || bytes[next] == 9 { next += 1 }
                if next < bytes.count, bytes[next] == 13 || bytes[next] == 10 {
                    index = next + (bytes[next] == 13 && next + 1 < bytes.count && bytes[next + 1] == 10 ? 2 : 1)
                    continue
                }
                if next >= bytes.count {
                    index = next
                    continue
                }
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
