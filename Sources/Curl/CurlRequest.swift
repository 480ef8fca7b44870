/// A request for ``CurlClient/execute(_:)``: HTTP(S), or IMAP(S) for a mailbox URL.
///
/// An `imap://` or `imaps://` URL makes an IMAP request: the URL alone fetches what it names
/// (`.../INBOX/;UID=7` is one message, as sent), `command` sends a custom command instead
/// (`UID SEARCH UID 8:*`, `STATUS "INBOX" (UIDVALIDITY)`) and returns the server's untagged
/// response lines as the body, and `upload` appends a message to the mailbox (IMAP APPEND).
/// `method` and `headers` apply to HTTP only.
public struct CurlRequest: Sendable {
    /// The request method: `"GET"`, `"POST"`, `"PUT"`, `"DELETE"`, `"HEAD"`, ...
    public var method: String
    /// The absolute `http://` or `https://` URL to request (or `imap://`, `imaps://`).
    public var url: String
    /// Request header fields, sent in order.
    ///
    /// Without a `Content-Type` field no content type is sent (curl's default
    /// `application/x-www-form-urlencoded` for bodies is suppressed).
    public var headers: [HTTPHeader]
    /// The request body, sent with a `Content-Length`. Empty for none.
    public var body: [UInt8]
    /// The limit for the whole transfer, connecting included. Zero or negative means no limit.
    public var timeout: Duration
    /// The limit for establishing the connection. Zero or negative means curl's default (300 s).
    public var connectTimeout: Duration
    /// The user to log in as: HTTP basic auth, or the IMAP login. Nil for none.
    public var username: String?
    /// The password for `username`.
    public var password: String?
    /// A custom IMAP command sent instead of the URL's default action; nil for none. HTTP uses `method`.
    public var command: String?
    /// A message to upload to an IMAP mailbox URL (APPEND); nil for none. HTTP sends `body`.
    public var upload: [UInt8]?
    /// The largest response body accepted for this request; nil for the client's limit.
    public var maxResponseBytes: Int?
    /// Use a connection of its own, closed afterwards, instead of a kept one (an IMAP session keeps
    /// its view of a selected mailbox, which may be out of date). False by default.
    public var freshConnection = false

    /// Creates a request.
    /// - Parameters:
    ///   - method: The request method; `"GET"` by default.
    ///   - url: The absolute `http://` or `https://` URL.
    ///   - headers: Request header fields.
    ///   - body: The request body; empty for none.
    ///   - timeout: The limit for the whole transfer; 10 seconds by default.
    ///   - connectTimeout: The limit for connecting; 5 seconds by default.
    ///   - username: The login (HTTP basic auth or IMAP); nil for none.
    ///   - password: The password for `username`.
    ///   - command: A custom IMAP command; nil for the URL's own fetch.
    ///   - upload: A message to append to an IMAP mailbox; nil for none.
    ///   - maxResponseBytes: This request's response limit; nil for the client's.
    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        timeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(5),
        username: String? = nil,
        password: String? = nil,
        command: String? = nil,
        upload: [UInt8]? = nil,
        maxResponseBytes: Int? = nil
    ) {
        self.username = username
        self.password = password
        self.command = command
        self.upload = upload
        self.maxResponseBytes = maxResponseBytes
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
