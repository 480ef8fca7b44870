import CCurl

/// A transfer that did not produce a response: connection refused, timeout,
/// response too large, client shut down, ...
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The `CURLcode`, e.g. `7` (couldn't connect), `28` (timeout), `63` (response too large).
    public var code: Int
    /// `curl_easy_strerror(code)`, followed by curl's detailed error text when it gave one.
    public var message: String

    /// `curl error <code>: <message>`.
    public var description: String { "curl error \(code): \(message)" }

    /// Creates an error; ``CurlClient`` makes these, tests and fakes may too.
    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// An error for `code`, its `curl_easy_strerror` text plus `detail` (the error buffer) if non-empty.
    init(_ code: CURLcode, detail: String = "") {
        let summary = String(cString: curl_easy_strerror(code))
        let detail = detail.trimmingHTTPWhitespace()
        self.init(
            code: Int(code.rawValue),
            message: detail.isEmpty || detail == summary ? summary : "\(summary): \(detail)"
        )
    }

    /// The connection was not made: the address its host resolved to is one the client's outbound policy
    /// refuses (`CURLE_COULDNT_CONNECT`, the message saying which and why).
    static func refusedAddress(_ why: String) -> CurlError {
        CurlError(code: Int(CURLE_COULDNT_CONNECT.rawValue), message: "refused to connect: \(why)")
    }

    /// Whether the connection was refused by the client's outbound policy (``refusedAddress(_:)``).
    public var isRefusedAddress: Bool { message.hasPrefix("refused to connect: ") }

    /// The server refused the login (`CURLE_LOGIN_DENIED`): a wrong username or password.
    public var isLoginDenied: Bool { code == Int(CURLE_LOGIN_DENIED.rawValue) }

    /// The URL names something the server does not have (`CURLE_REMOTE_FILE_NOT_FOUND`); for IMAP
    /// also a mailbox whose UIDVALIDITY is not the one in the URL.
    public var isRemoteNotFound: Bool { code == Int(CURLE_REMOTE_FILE_NOT_FOUND.rawValue) }

    /// The response was larger than the limit (`CURLE_FILESIZE_EXCEEDED`).
    public var isTooLarge: Bool { code == Int(CURLE_FILESIZE_EXCEEDED.rawValue) }

    /// The transfer's client was shut down before the transfer finished.
    static let shutDown = CurlError(
        code: Int(CURLE_ABORTED_BY_CALLBACK.rawValue),
        message: "CurlClient was shut down before the transfer finished"
    )

    /// The response body was larger than the client's `maxResponseBytes`.
    static func responseTooLarge(limit: Int) -> CurlError {
        CurlError(
            code: Int(CURLE_FILESIZE_EXCEEDED.rawValue),
            message: "Response body exceeds maxResponseBytes (\(limit) bytes)"
        )
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CRs and LFs.
    func trimmingHTTPWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
