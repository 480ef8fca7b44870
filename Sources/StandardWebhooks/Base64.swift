/// Standard base64 (RFC 4648 §4, `+` and `/`), written for this module's two needs:
/// encoding a 32-byte MAC without going through `Data`, and decoding secrets and
/// signatures straight from UTF-8 bytes, with or without `=` padding.
///
/// Decoding is not constant time; it only ever sees secrets once, at start-up, and
/// otherwise sees signatures, which the sender sent in the clear.
enum Base64 {
    /// The symbol for a 6-bit value.
    @inline(__always)
    private static func symbol(_ value: UInt32) -> UInt8 {
        let value = UInt8(truncatingIfNeeded: value & 0x3F)
        switch value {
        case 0..<26: return UInt8(ascii: "A") + value
        case 26..<52: return UInt8(ascii: "a") + value - 26
        case 52..<62: return UInt8(ascii: "0") + value - 52
        case 62: return UInt8(ascii: "+")
        default: return UInt8(ascii: "/")
        }
    }

    /// The 6-bit value of a symbol, or `nil` when it is not in the alphabet.
    @inline(__always)
    private static func value(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    private static let padding = UInt8(ascii: "=")

    /// Encodes `bytes` as padded base64.
    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let length = (bytes.count + 2) / 3 * 4
        return String(unsafeUninitializedCapacity: length) { out in
            var o = 0
            var i = 0
            while i + 3 <= bytes.count {
                let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out[o] = symbol(n >> 18)
                out[o + 1] = symbol(n >> 12)
                out[o + 2] = symbol(n >> 6)
                out[o + 3] = symbol(n)
                i += 3
                o += 4
            }
            let rest = bytes.count - i
            if rest > 0 {
                let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                out[o] = symbol(n >> 18)
                out[o + 1] = symbol(n >> 12)
                out[o + 2] = rest == 2 ? symbol(n >> 6) : padding
                out[o + 3] = padding
                o += 4
            }
            return o
        }
    }

    /// Decodes base64 text given as UTF-8 bytes; trailing `=` padding is optional.
    ///
    /// Returns `nil` for a character outside the alphabet, misplaced or excess padding,
    /// or a length that no byte string encodes to.
    static func decode(_ text: some BidirectionalCollection<UInt8>) -> [UInt8]? {
        var symbols = text[...]
        var padded = 0
        while padded < 2, symbols.last == padding {
            symbols.removeLast()
            padded += 1
        }
        let count = symbols.count
        guard count % 4 != 1, padded == 0 || (count + padded) % 4 == 0 else { return nil }

        var output = [UInt8]()
        output.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            guard let value = value(symbol) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
