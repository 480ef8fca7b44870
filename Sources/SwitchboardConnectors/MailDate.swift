import Foundation

/// An email `Date` (RFC 5322): `Fri, 1 Aug 2014 16:45:32 -0400`. Also read as mail servers write
/// it in practice: a colon in the zone (`-04:00`), a trailing comment (`+0200 (CEST)`), no
/// seconds, zone names (`GMT`, `UT`, `Z`, the US ones), two-digit years.
enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
        "pst": -8, "pdt": -7,
    ]

    /// The instant, or nil for a date it cannot read.
    static func parse(_ text: String) -> Date? {
        var value = text
        if let comment = value.firstIndex(of: "(") { value = String(value[..<comment]) }
        if let comma = value.firstIndex(of: ",") { value = String(value[value.index(after: comma)...]) }
        let words = value.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        guard words.count >= 4, let day = Int(words[0]), let month = months.firstIndex(of: String(words[1].prefix(3))),
            var year = Int(words[2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        let clock = words[3].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, let hour = clock[0], let minute = clock[1],
            let second = clock.count == 3 ? clock[2] : 0
        else { return nil }
        guard let offset = words.count > 4 ? zoneOffset(words[4]) : 0 else { return nil }
        let components = DateComponents(
            year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        guard (1...31).contains(day), hour < 24, minute < 60, second < 61, let date = calendar.date(from: components)
        else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    /// Seconds east of UTC for `+0200`, `-04:00` or a zone name.
    private static func zoneOffset(_ zone: String) -> Int? {
        if let hours = zones[zone] { return hours * 3600 }
        guard let sign = zone.first, sign == "+" || sign == "-" else { return nil }
        let digits = zone.dropFirst().filter { $0 != ":" }
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else {
            return nil
        }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}
