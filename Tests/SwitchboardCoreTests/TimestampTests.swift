import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Timestamp")
struct TimestampTests {
    static let samples = [
        "2026-11-23T10:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2024-12-31T23:59:59.5Z",
        "2026-11-23T10:00:00.123Z", "2026-11-23T10:00:00+01:00", "2026-11-23T10:00:00-05:30", "1999-12-31T23:59:59z",
        "2100-03-01T12:00:00Z", "1969-07-20T20:17:40Z",
    ]

    @Test("the fast path agrees with Foundation", arguments: samples)
    func agreesWithFoundation(_ text: String) throws {
        let parsed = try #require(Timestamp.parse(text))
        let reference = try #require(Timestamp.foundation(text))
        #expect(abs(parsed.timeIntervalSince(reference)) < 0.001)
    }

    static let invalid = [
        "", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23 10:00:00",
        "2026-11-23T10:00:00", "2026-11-23T10:00:00.Z", "2026-11-23T10:00:00+0100", "2026-11-23T10:00:00Zjunk",
    ]

    @Test("malformed timestamps are rejected", arguments: invalid)
    func rejects(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
