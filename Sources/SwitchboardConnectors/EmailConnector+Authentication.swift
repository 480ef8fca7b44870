import Crypto
import Foundation

extension EmailConnector {
    /// Accepts the request when its basic-auth credentials or its path token match the configured
    /// ones; wrong or missing credentials are refused.
    ///
    /// Every comparison is of SHA-256 digests in constant time, so neither the content nor the
    /// length of a secret shows in the timing, and the username and the password are both
    /// compared whatever the first one's result.
    public func authenticate(_ request: ConnectorRequest) throws(ConnectorRejection) {
        var presented = false
        if let username, let password, let credentials = Self.basicCredentials(request.header("authorization")) {
            presented = true
            let userMatches = Self.same(credentials.username, username)
            let passwordMatches = Self.same(credentials.password, password)
            if userMatches && passwordMatches { return }
        }
        if let token, let pathToken = request.pathToken {
            presented = true
            if Self.same(pathToken, token) { return }
        }
        if presented { throw .unauthenticated("wrong credentials") }
        switch (username != nil && password != nil, token != nil) {
        case (true, true): throw .unauthenticated("missing credentials: basic auth or the path token")
        case (true, false): throw .unauthenticated("missing Authorization header (basic auth)")
        default: throw .unauthenticated("missing path token: post to /v1/inbound/{source}/{token}")
        }
    }

    /// The username and password of an `Authorization: Basic ...` header; nil for another scheme
    /// or an unreadable value.
    static func basicCredentials(_ header: String?) -> (username: String, password: String)? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].caseInsensitiveCompare("Basic") == .orderedSame,
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8), let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }

    /// Equal secrets, compared as SHA-256 digests in constant time.
    static func same(_ presented: String, _ expected: String) -> Bool {
        Signature.equal(Array(SHA256.hash(data: Array(presented.utf8))), Array(SHA256.hash(data: Array(expected.utf8))))
    }
}
