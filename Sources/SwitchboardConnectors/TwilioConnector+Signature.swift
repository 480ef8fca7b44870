import Crypto
import Foundation
import SwitchboardCore

extension TwilioConnector {
    /// Checks `X-Twilio-Signature` the way Twilio's webhook security guide and its SDKs do.
    ///
    /// The signed text is `request.url` (the source's `public_url` with the query Twilio sent)
    /// followed, for a form body, by each parameter name then value, names sorted and each name's
    /// values sorted. With a `bodySHA256` query parameter the body is not a form: its hex SHA-256
    /// must equal that parameter, and the URL alone is signed. As Twilio's SDKs do, the URL is
    /// tried as written and with its port toggled (`:443` or `:80` added when absent, removed when
    /// present), because Twilio signs either form.
    public func verify(_ request: ConnectorRequest) throws(ConnectorRejection) {
        guard let presented = request.header("x-twilio-signature"), !presented.isEmpty else {
            throw .unauthenticated("missing X-Twilio-Signature header")
        }
        let parameters: [(name: String, value: String)]
        if let bodyHash = request.query["bodySHA256"] {
            let actual = Signature.hex(Array(SHA256.hash(data: request.body)))
            guard Signature.equal(Array(bodyHash.lowercased().utf8), Array(actual.utf8)) else {
                throw .unauthenticated("bodySHA256 does not match the body")
            }
            parameters = []
        } else {
            let form = try ConnectorRejection.reading { () throws(PayloadError) in
                try FormBody(parsing: request.body)
            }
            parameters = form.pairs
        }
        let written = Array(presented.utf8)
        let signedParameters = Self.signedText(parameters)
        for url in Self.urlForms(request.url) {
            let mac = Signature.hmacSHA1(key: authToken, [Array(url.utf8), signedParameters])
            if Signature.equal(written, Array(Signature.base64(mac).utf8)) { return }
        }
        throw .unauthenticated("X-Twilio-Signature does not match the URL and parameters")
    }

    /// What follows the URL in the signed text: every parameter as name and value, names in order,
    /// each name's distinct values in order (code-point order, as Twilio's SDKs sort).
    static func signedText(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        func before(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        // Grouped by name in one pass, then each group sorted: n log n in the number of parameters
        // (a filter over all of them for each name was quadratic, before the signature is known).
        var values: [String: Set<String>] = [:]
        for parameter in parameters { values[parameter.name, default: []].insert(parameter.value) }
        var text: [UInt8] = []
        for (name, named) in values.sorted(by: { before($0.key, $1.key) }) {
            for value in named.sorted(by: before) {
                text += name.utf8
                text += value.utf8
            }
        }
        return text
    }

    /// The URL as written, and with its port toggled: removed when present, the scheme's default
    /// added when absent.
    static func urlForms(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex { "/?#".contains($0) } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let host = authority[hostStart...]
        let head = url[..<hostStart]
        let tail = url[authorityEnd...]
        if let colon = host.lastIndex(of: ":"), !host[host.index(after: colon)...].contains("]") {
            return [url, String(head + host[..<colon] + tail)]
        }
        guard let port = ["https": "443", "http": "80"][scheme] else { return [url] }
        return [url, String(head + host + ":" + port + tail)]
    }
}
