/// The response to a ``CurlRequest``: any status, including non-2xx ones.
public struct CurlResponse: Sendable {
    /// The HTTP status code of the final response, e.g. `200`; 0 for IMAP, whose failures throw.
    public var status: Int
    /// The header fields of the final response, in order, names and values trimmed.
    public var headers: [HTTPHeader]
    /// The response body, as received (no content decoding is requested).
    public var body: [UInt8]

    /// Creates a response; ``CurlClient`` makes these, tests and fakes may too.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header field named `name`, compared case-insensitively; nil if absent.
    public func header(_ name: String) -> String? {
        headers.first { HTTPHeader.namesEqual($0.name, name) }?.value
    }
}

extension HTTPHeader {
    /// ASCII case-insensitive comparison of header field names.
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count
            && zip(a.utf8, b.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte + 32 : byte
    }
}
