import CCurl
import NetworkPolicy
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One request in flight: its easy handle, what curl has received so far, and the
/// continuation waiting for the outcome.
///
/// `@unchecked Sendable`: the easy handle, header list and receive buffers are set up by the
/// creating task before the transfer is handed to ``CurlMulti`` (under its mutex), and from then
/// on touched only by the multi thread (curl's callbacks, ``complete(_:)``), until `deinit`, which
/// runs after the multi thread removed the handle and dropped its reference. The continuation and
/// cancellation flag are guarded by `state`.
final class CurlTransfer: @unchecked Sendable {
    /// The easy handle; also the key ``CurlMulti`` finds this transfer by.
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let maxResponseBytes: Int
    /// An `imap://` or `imaps://` request: no HTTP headers, no HTTP status.
    private let isIMAP: Bool
    /// The bytes still to upload (IMAP APPEND), read by curl's read callback.
    private var upload: ArraySlice<UInt8> = []
    /// Which addresses the connection may reach, judged on each address curl is about to connect to.
    let policy: OutboundPolicy
    /// Why the last address was refused, multi thread only: the error the transfer fails with.
    var refusedAddress: String?

    // Receive state, multi thread only.
    private var body: [UInt8] = []
    private var headers: [HTTPHeader] = []
    private var bodyTooLarge = false

    private struct State {
        var continuation: CheckedContinuation<CurlResponse, any Error>?
        var cancelled = false
        var finished = false
    }
    private let state = Mutex(State())

    /// Creates the easy handle and sets every option for `request`.
    /// - Throws: ``CurlError`` if a header has a line break or curl rejects an option (most bad
    ///   URLs are only reported later, by the transfer itself).
    init(_ request: CurlRequest, maxResponseBytes: Int, policy: OutboundPolicy = OutboundPolicy()) throws(CurlError) {
        self.policy = policy
        guard let easy = curl_easy_init() else {
            throw CurlError(CURLE_FAILED_INIT, detail: "curl_easy_init returned NULL")
        }
        self.easy = easy
        self.maxResponseBytes = request.maxResponseBytes.map { max(0, $0) } ?? maxResponseBytes
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        isIMAP = scheme == "imap" || scheme == "imaps"
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    // MARK: Options

    private func configure(_ request: CurlRequest) throws(CurlError) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url))
        try check(ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, isIMAP ? "imap,imaps" : "http,https"))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds))
        try check(ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(self.maxResponseBytes)))
        try check(ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlTransferWriteBody))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, this))
        try check(ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlTransferWriteHeader))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, this))
        try check(ccurl_easy_setopt_opensocket(easy, curlTransferOpenSocket))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, this))
        if let username = request.username {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_USERNAME, username))
            try check(ccurl_easy_setopt_string(easy, CURLOPT_PASSWORD, request.password ?? ""))
        }
        if request.freshConnection {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1))
            try check(ccurl_easy_setopt_long(easy, CURLOPT_FORBID_REUSE, 1))
        }
        if isIMAP {
            try configureIMAP(request, this: this)
        } else {
            try configureHTTP(request)
        }
    }

    /// A custom command, or an upload (APPEND), or the URL's own fetch; TLS for `imaps://` as curl
    /// defaults it (peer and host verified).
    private func configureIMAP(_ request: CurlRequest, this: UnsafeMutableRawPointer) throws(CurlError) {
        if let command = request.command {
            if command.containsLineBreak {
                throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, detail: "IMAP command contains CR or LF")
            }
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, command))
        }
        if let upload = request.upload {
            self.upload = upload[...]
            try check(ccurl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1))
            try check(ccurl_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.count)))
            try check(ccurl_easy_setopt_data_callback(easy, CURLOPT_READFUNCTION, curlTransferReadUpload))
            try check(ccurl_easy_setopt_pointer(easy, CURLOPT_READDATA, this))
        }
    }

    private func configureHTTP(_ request: CurlRequest) throws(CurlError) {

        // curl sends GET, HEAD with CURLOPT_NOBODY, or POST with CURLOPT_*POSTFIELDS*;
        // any other method goes in CURLOPT_CUSTOMREQUEST on top of the matching one.
        let method = request.method
        let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method)
        let impliedMethod: String
        if sendsBody {
            // Always with a Content-Length, even 0. COPYPOSTFIELDS copies the bytes, so the
            // request's array need not outlive this call.
            try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            try check(request.body.withUnsafeBytes { bytes in
                // A zero-length body still needs a non-NULL pointer.
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)
                return ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            })
            impliedMethod = "POST"
        } else if method == "HEAD" {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
            impliedMethod = "HEAD"
        } else {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
            impliedMethod = "GET"
        }
        if method != impliedMethod {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method))
        }

        if let bad = request.headers.first(where: { $0.name.containsLineBreak || $0.value.containsLineBreak }) {
            throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, detail: "header \"\(bad.name)\" contains CR or LF")
        }
        var fields = request.headers.map { header in
            // "Name;" is curl's way to send a header with an empty value.
            header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
        }
        if sendsBody && !request.headers.contains(where: { HTTPHeader.namesEqual($0.name, "Content-Type") }) {
            fields.append("Content-Type:")  // drop curl's form-urlencoded default
        }
        if !request.headers.contains(where: { HTTPHeader.namesEqual($0.name, "Expect") }) {
            fields.append("Expect:")  // no 100-continue round trip for larger bodies
        }
        for field in fields {
            guard let list = curl_slist_append(headerList, field) else {
                throw CurlError(CURLE_OUT_OF_MEMORY, detail: "curl_slist_append failed")
            }
            headerList = list
        }
        try check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))
    }

    private func check(_ code: CURLcode) throws(CurlError) {
        if code != CURLE_OK {
            throw CurlError(code, detail: String(cString: errorBuffer))
        }
    }

    // MARK: Callbacks (multi thread)

    /// Appends body bytes; returns fewer than given (failing the transfer) past `maxResponseBytes`.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if bytes.count > maxResponseBytes - body.count {
            bodyTooLarge = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Copies the next upload bytes into curl's buffer; 0 at the end.
    fileprivate func sendUpload(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, upload.count)
        buffer.copyBytes(from: upload.prefix(count))
        upload = upload.dropFirst(count)
        return count
    }

    /// Records one header line; a status line starts a new response (e.g. after `100 Continue`).
    /// IMAP's server responses come here too, and are not headers.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        if isIMAP { return bytes.count }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = []
        } else if line.first == " " || line.first == "\t" {
            // Obsolete line folding: continues the previous field's value.
            if !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingHTTPWhitespace()
            }
        } else if let colon = line.firstIndex(of: ":") {
            headers.append(HTTPHeader(
                String(line[..<colon]).trimmingHTTPWhitespace(),
                String(line[line.index(after: colon)...]).trimmingHTTPWhitespace()
            ))
        }
        return bytes.count
    }

    // MARK: Outcome

    /// Stores the continuation to resume; returns false (having resumed it with
    /// `CancellationError`) if the task was cancelled before it got here.
    func install(_ continuation: CheckedContinuation<CurlResponse, any Error>) -> Bool {
        let cancelled = state.withLock { state in
            if state.cancelled {
                state.finished = true
                return true
            }
            state.continuation = continuation
            return false
        }
        if cancelled {
            continuation.resume(throwing: CancellationError())
        }
        return !cancelled
    }

    /// Marks the transfer cancelled; returns true if it was already handed to the multi thread
    /// and unfinished, so the multi thread must be told to abort it.
    func markCancelled() -> Bool {
        state.withLock { state in
            state.cancelled = true
            return state.continuation != nil && !state.finished
        }
    }

    /// Resumes the waiting task with the response or the error for curl's `code` (multi thread).
    func complete(_ code: CURLcode) {
        if code == CURLE_OK {
            var status = 0
            if !isIMAP { _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
            finish(.success(CurlResponse(status: status, headers: headers, body: body)))
        } else if bodyTooLarge || code == CURLE_FILESIZE_EXCEEDED {
            finish(.failure(CurlError.responseTooLarge(limit: maxResponseBytes)))
        } else if let refusedAddress {
            finish(.failure(CurlError.refusedAddress(refusedAddress)))
        } else {
            finish(.failure(CurlError(code, detail: String(cString: errorBuffer))))
        }
    }

    /// Resumes the waiting task with `result`, unless it was resumed already.
    func finish(_ result: Result<CurlResponse, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<CurlResponse, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}

/// `CURLOPT_WRITEFUNCTION`: `userdata` is the unretained ``CurlTransfer``.
private let curlTransferWriteBody: ccurl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// `CURLOPT_READFUNCTION`: `userdata` is the unretained ``CurlTransfer``.
private let curlTransferReadUpload: ccurl_data_callback = { data, size, count, userdata in
    guard let userdata, let data else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.sendUpload(UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

/// `CURLOPT_HEADERFUNCTION`: `userdata` is the unretained ``CurlTransfer``.
private let curlTransferWriteHeader: ccurl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

extension String {
    /// Whether the string has a CR or LF, which would split a header line.
    fileprivate var containsLineBreak: Bool {
        utf8.contains(13) || utf8.contains(10)
    }
}

extension Duration {
    /// Whole milliseconds for a curl `*_MS` option, rounded up so a positive duration never
    /// becomes curl's 0 ("no limit"); zero or negative gives 0.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return 0 }
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return Int(Int32.max) }
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let extra = (attoseconds + perMillisecond - 1) / perMillisecond
        return Int(min(ms + extra, Int64(Int32.max)))
    }
}

/// `CURLOPT_OPENSOCKETFUNCTION`: opens the socket for an address curl resolved, unless the transfer's
/// ``OutboundPolicy`` refuses the address (a name that resolves, or was rebound, to a metadata address),
/// in which case the transfer fails naming it. `clientp` is the unretained ``CurlTransfer``.
let curlTransferOpenSocket: ccurl_opensocket_callback = { clientp, _, address in
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(clientp).takeUnretainedValue()
    let family = address.pointee.family
    let refusal = withUnsafeMutablePointer(to: &address.pointee.addr) { pointer in
        transfer.policy.refusal(socketAddress: UnsafeRawPointer(pointer), family: family)
    }
    if let refusal {
        transfer.refusedAddress = refusal
        return CURL_SOCKET_BAD
    }
    return socket(family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
}
