import Curl
import Foundation
import Synchronization

/// The few Matrix client-server calls Switchboard makes, over the shared ``CurlClient``: `/sync`, joining a room,
/// posting a notice, and a password login when the configuration gives a password instead of an access token.
///
/// The access token is kept in memory only; a token obtained with the password is dropped when the homeserver
/// refuses it (`M_UNKNOWN_TOKEN`), so the next call logs in again. A configured `access_token` is never replaced:
/// it is the admin's to fix, and every refusal says so in the log (as a poll error, retried with backoff).
/// - <https://spec.matrix.org/v1.11/client-server-api/>
public final class MatrixClient: Sendable {
    /// The homeserver's base URL without a trailing slash.
    public let homeserver: String
    /// The bot's Matrix id, e.g. `@switchboard:localhost`.
    public let user: String
    private let configuredToken: String?
    private let password: String?
    private let client: CurlClient
    private let token: Mutex<String?>

    public init(homeserver: String, user: String, accessToken: String?, password: String?, client: CurlClient) {
        self.homeserver = homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver
        self.user = user
        self.configuredToken = accessToken
        self.password = password
        self.client = client
        self.token = Mutex(accessToken)
    }

    /// The access token: the configured one, or one obtained by logging in with the password.
    public func accessToken() async throws -> String {
        if let token = token.withLock({ $0 }) { return token }
        guard let password else {
            throw MatrixError(status: 0, code: nil, description: "no access_token and no password for \(user)")
        }
        let body = MatrixJSON.encode([
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": user], "password": password,
            "initial_device_display_name": "Switchboard",
        ])
        let response = try await client.execute(
            CurlRequest(
                method: "POST", url: homeserver + "/_matrix/client/v3/login",
                headers: [HTTPHeader("Content-Type", "application/json")], body: body))
        let object = try Self.checked(response, what: "login as \(user)")
        guard let obtained = object["access_token"] as? String else {
            throw MatrixError(status: response.status, code: nil, description: "login as \(user) returned no access_token")
        }
        token.withLock { $0 = obtained }
        return obtained
    }

    /// `GET /sync`: everything since `since` (all recent state the first time), waiting up to `timeout` for news.
    public func sync(since: String?, timeout: Duration, filter: String) async throws -> [String: Any] {
        var query = "timeout=\(timeout.components.seconds * 1000)&filter=\(MatrixJSON.queryEncoded(filter))"
        if let since { query += "&since=\(MatrixJSON.queryEncoded(since))" }
        return try await call("GET", "/_matrix/client/v3/sync?" + query, what: "sync", timeout: timeout + .seconds(10))
    }

    /// `POST /join/{room}`: accepts an invitation.
    public func join(room: String) async throws {
        _ = try await call("POST", "/_matrix/client/v3/join/\(MatrixJSON.segment(room))", body: [:], what: "join \(room)")
    }

    /// `PUT /rooms/{room}/send/m.room.message/{txn}`: posts `text` as an `m.notice`. The same `transaction` is the
    /// same message: a retry posts nothing new. Returns the event id.
    @discardableResult
    public func sendNotice(room: String, text: String, transaction: String) async throws -> String? {
        let path =
            "/_matrix/client/v3/rooms/\(MatrixJSON.segment(room))/send/m.room.message/\(MatrixJSON.segment(transaction))"
        let object = try await call("PUT", path, body: ["msgtype": "m.notice", "body": text], what: "notice in \(room)")
        return object["event_id"] as? String
    }

    /// One authenticated call; the answer's JSON object, or a ``MatrixError`` for an error status.
    func call(
        _ method: String, _ path: String, body: [String: Any]? = nil, what: String, timeout: Duration = .seconds(10)
    ) async throws -> [String: Any] {
        let bearer = try await accessToken()
        var headers = [HTTPHeader("Authorization", "Bearer \(bearer)"), HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await client.execute(
            CurlRequest(
                method: method, url: homeserver + path, headers: headers, body: body.map(MatrixJSON.encode) ?? [],
                timeout: timeout))
        do {
            return try Self.checked(response, what: what)
        } catch let error as MatrixError where error.isCredentialError {
            // A token from a login may have expired or been logged out: log in again next time.
            if configuredToken == nil { token.withLock { if $0 == bearer { $0 = nil } } }
            throw error
        }
    }

    /// The JSON object of a 2xx answer; otherwise a ``MatrixError`` with the homeserver's `errcode` and `error`.
    static func checked(_ response: CurlResponse, what: String) throws -> [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status) else {
            let code = object["errcode"] as? String
            let message = object["error"] as? String ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            var description = "\(what): homeserver answered HTTP \(response.status)"
            if let code { description += " \(code)" }
            if !message.isEmpty { description += ": \(message)" }
            if response.status == 401 || code == "M_UNKNOWN_TOKEN" {
                description += " (the access token was refused: check the source's access_token or password)"
            }
            throw MatrixError(status: response.status, code: code, description: description)
        }
        return object
    }
}
