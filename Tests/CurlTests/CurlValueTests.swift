@testable import Curl
import Testing

@Suite("Curl values")
struct CurlValueTests {
    @Test("CurlResponse.header is case-insensitive and returns the first match", arguments: [
        ("Content-Type", "text/plain"), ("content-type", "text/plain"), ("CONTENT-TYPE", "text/plain"),
        ("x-dup", "one"), ("X-Missing", nil), ("Content-Typ", nil),
    ] as [(String, String?)])
    func header(name: String, expected: String?) {
        let response = CurlResponse(status: 200, headers: [
            HTTPHeader("Content-Type", "text/plain"), HTTPHeader("X-Dup", "one"), HTTPHeader("x-dup", "two"),
        ])
        #expect(response.header(name) == expected)
    }

    @Test("Durations become curl milliseconds, rounded up, never 0 when positive", arguments: [
        (Duration.seconds(10), 10_000), (.milliseconds(300), 300), (.microseconds(1), 1), (.nanoseconds(1_500_000), 2),
        (.zero, 0), (.seconds(-1), 0), (.seconds(Int64.max), Int(Int32.max)),
    ])
    func milliseconds(duration: Duration, expected: Int) {
        #expect(duration.curlMilliseconds == expected)
    }

    @Test("CurlError describes its code and message")
    func errorDescription() {
        #expect(CurlError(code: 28, message: "Timeout was reached").description == "curl error 28: Timeout was reached")
        #expect(CurlError.responseTooLarge(limit: 10).code == 63)
    }

    @Test("CurlRequest defaults")
    func requestDefaults() {
        let request = CurlRequest(url: "http://example.invalid/")
        #expect(request.method == "GET")
        #expect(request.headers.isEmpty && request.body.isEmpty)
        #expect(request.timeout == .seconds(10))
        #expect(request.connectTimeout == .seconds(5))
    }
}
