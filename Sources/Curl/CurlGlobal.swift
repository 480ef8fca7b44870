import CCurl

/// Process-wide libcurl initialisation.
enum CurlGlobal {
    /// The result of the one `curl_global_init` call; Swift runs a static initialiser exactly once,
    /// thread-safely, which is what `curl_global_init` (not thread-safe itself) needs.
    private static let initResult: Int = {
        Int(curl_global_init(Int(CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32)).rawValue)
    }()

    /// Calls `curl_global_init` if no one has yet; must precede every other libcurl call.
    /// - Throws: ``CurlError`` if libcurl failed to initialise.
    static func ensureInitialized() throws(CurlError) {
        let code = initResult
        if code != Int(CURLE_OK.rawValue) {
            throw CurlError(CURLcode(UInt32(code)), detail: "curl_global_init failed")
        }
    }
}
