import Curl
import Foundation

/// Where and how one source's write-backs go: the platform, its API's base URL and the credentials.
///
/// Its description names the platform and URL only; the token never reaches a log.
public struct WriteBackTarget: Sendable, CustomStringConvertible {
    public var platform: WriteBackPlatform
    /// The API's base URL without a trailing slash, e.g. `https://acme.zendesk.com`, `https://api.intercom.io`,
    /// `https://api2.frontapp.com`.
    public var apiURL: String
    /// Zendesk: the user the API token belongs to.
    public var email: String?
    /// Zendesk's API token, Intercom's access token or Front's API token.
    public var apiToken: String
    /// Intercom: the admin the assignment is made as; nil for the assignee themselves.
    public var adminId: String?
    /// Matrix: where the bot's access token comes from when it is not configured (a password login); called before
    /// each attempt and replaces ``apiToken``.
    public var accessToken: (@Sendable () async throws -> String)?

    public init(
        platform: WriteBackPlatform, apiURL: String, email: String? = nil, apiToken: String, adminId: String? = nil,
        accessToken: (@Sendable () async throws -> String)? = nil
    ) {
        self.accessToken = accessToken
        self.platform = platform
        self.apiURL = apiURL
        self.email = email
        self.apiToken = apiToken
        self.adminId = adminId
    }

    public var description: String { "\(platform.rawValue) at \(apiURL)" }

    /// The request naming `assignee` (the agent's id on the platform) as the one who took conversation
    /// `conversation` (the platform's id for it).
    /// - Throws: ``WriteBackRefusal`` when the ids cannot make a valid request (a Zendesk user id that is not a
    ///   whole number): retrying would not help.
    public func request(conversation: String, assignee: String, timeout: Duration) throws(WriteBackRefusal)
        -> CurlRequest
    {
        let built: HTTPCall
        switch platform {
        case .zendesk: built = try ZendeskWriteBack.call(self, ticket: conversation, assignee: assignee)
        case .intercom: built = IntercomWriteBack.call(self, conversation: conversation, assignee: assignee)
        case .front: built = FrontWriteBack.call(self, conversation: conversation, assignee: assignee)
        case .matrix: throw WriteBackRefusal("a Matrix write-back is a notice, not an assignment")
        }
        return request(built, timeout: timeout)
    }

    /// Matrix: the request posting `text` as a notice into room `room`, with `transaction` as its transaction id.
    public func noticeRequest(room: String, transaction: String, text: String, timeout: Duration) async throws
        -> CurlRequest
    {
        var target = self
        if let accessToken { target.apiToken = try await accessToken() }
        return request(MatrixWriteBack.call(target, room: room, transaction: transaction, text: text), timeout: timeout)
    }

    /// `built` with the common JSON headers, under ``apiURL``.
    private func request(_ built: HTTPCall, timeout: Duration) -> CurlRequest {
        var headers = [
            HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json"),
            HTTPHeader("User-Agent", "Switchboard"),
        ]
        headers += built.headers
        return CurlRequest(
            method: built.method, url: apiURL + built.path, headers: headers, body: built.body, timeout: timeout,
            connectTimeout: min(timeout, .seconds(5)))
    }

    /// What a platform's builder decides: method, path under ``apiURL`` (ids percent-encoded), its own
    /// headers (authentication, versions) and the JSON body.
    struct HTTPCall {
        var method: String
        var path: String
        var headers: [HTTPHeader]
        var body: [UInt8]
    }

    /// `value` as compact JSON with sorted keys.
    static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The bodies are structs of strings and integers: encoding them cannot fail.
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    /// `value` as one path segment: anything but unreserved characters percent-encoded.
    static func segment(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

/// A write-back that cannot be made, whatever the retries: it is ended as failed.
public struct WriteBackRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
