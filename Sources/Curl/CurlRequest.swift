/// An HTTP request for ``CurlClient/execute(_:)``.
public struct CurlRequest: Sendable {
    /// The request method: `"GET"`, `"POST"`, `"PUT"`, `"DELETE"`, `"HEAD"`, ...
    public var method: String
    /// The absolute `http://` or `https://` URL to request.
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

    /// Creates a request.
    /// - Parameters:
    ///   - method: The request method; `"GET"` by default.
    ///   - url: The absolute `http://` or `https://` URL.
    ///   - headers: Request header fields.
    ///   - body: The request body; empty for none.
    ///   - timeout: The limit for the whole transfer; 10 seconds by default.
    ///   - connectTimeout: The limit for connecting; 5 seconds by default.
    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        timeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(5)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
