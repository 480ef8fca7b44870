import Foundation

/// Reads the durations of routing tables: `20s`, `2m`, `1m30s`, `1h`, `500ms`, or a bare number of seconds.
///
/// A duration is one or more parts, each a number (whole or decimal) followed by a unit, units from the
/// largest to the smallest and each at most once: `h`, `m`, `s`, `ms`. Spaces may separate the parts
/// (`1m 30s`) and a number from its unit (`30 s`). A number alone, without a unit, is a number of seconds.
enum DurationParser {
    /// Why a text is not a duration.
    enum Problem: Error, Equatable {
        /// Not a duration at all: `thirty`, `fast`, an empty text.
        case notADuration
        /// A duration with a minus sign.
        case negative
        /// A number among several parts without its unit, e.g. `30` in `1m30`.
        case missingUnit(String)
        /// Letters after a number that are not a unit, e.g. `min` in `2min`.
        case unknownUnit(String)
        /// A unit after a smaller one, or twice: `30s1m`, `1m2m`.
        case unitOrder
    }

    /// The units and how many seconds each stands for, from the largest to the smallest.
    static let units: [(name: String, seconds: Double)] = [("h", 3600), ("m", 60), ("s", 1), ("ms", 0.001)]

    /// The names of the units, for messages: `h, m, s or ms`.
    static var unitNames: String { YAMLReader.list(units.map(\.name), conjunction: "or") }

    /// The number of seconds `text` stands for.
    /// - Throws: what is wrong with the text; a minus sign is reported only in front of a valid duration.
    static func seconds(_ text: String) throws(Problem) -> Double {
        let body = text.trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("-") {
            _ = try seconds(String(body.dropFirst()))
            throw .negative
        }
        let parts = try Self.parts(body)
        guard !parts.isEmpty else { throw .notADuration }
        if parts.count == 1, parts[0].unit.isEmpty {
            return parts[0].number
        }
        var total = 0.0
        var smallestSoFar = Int.min
        for part in parts {
            guard !part.unit.isEmpty else { throw .missingUnit(part.written) }
            guard let rank = units.firstIndex(where: { $0.name == part.unit }) else { throw .unknownUnit(part.unit) }
            guard rank > smallestSoFar else { throw .unitOrder }
            smallestSoFar = rank
            total += part.number * units[rank].seconds
        }
        return total
    }

    /// `20s`, `1m30s`, `500ms`, `1.5s`: whole seconds and milliseconds as such, anything finer in seconds.
    static func describe(_ seconds: Double) -> String {
        if seconds == seconds.rounded(), abs(seconds) < 1e15 { return "\(Int(seconds))s" }
        let milliseconds = seconds * 1000
        if milliseconds == milliseconds.rounded(), abs(milliseconds) < 1e15 { return "\(Int(milliseconds))ms" }
        return "\(seconds)s"
    }

    /// One number and the letters after it, e.g. `1` and `m` of `1m30s`.
    private struct Part {
        var written: String
        var number: Double
        var unit: String
    }

    /// Splits the text into parts. Anything but numbers, letters and spaces, or letters that do not follow
    /// a number, is not a duration.
    private static func parts(_ text: String) throws(Problem) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard let number = number(digits) else { throw .notADuration }
            rest = rest.dropFirst(digits.count).drop { $0 == " " }
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count).drop { $0 == " " }
            parts.append(Part(written: String(digits), number: number, unit: String(unit)))
            guard rest.isEmpty || rest.first?.isASCII == true && rest.first?.isNumber == true else {
                throw .notADuration
            }
        }
        return parts
    }

    /// `30`, `1.5`; not `.5`, `1.` or `1.2.3`.
    private static func number(_ digits: Substring) -> Double? {
        let pieces = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.allSatisfy({ !$0.isEmpty }) else { return nil }
        guard let value = Double(digits), value.isFinite else { return nil }
        return value
    }
}
