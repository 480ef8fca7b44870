import Curl

extension ImapPoller {
    /// The mailbox's UIDVALIDITY (`STATUS "INBOX" (UIDVALIDITY)`).
    func status() async throws -> UInt64 {
        let body = try await execute(url: mailbox.server, command: "STATUS \(mailbox.quotedName) (UIDVALIDITY)", during: "STATUS")
        guard let validity = ImapResponse.status(body)["UIDVALIDITY"] else {
            throw ImapError.noUIDValidity(mailbox: mailbox.name, server: mailbox.server)
        }
        return validity
    }

    /// The UIDs from `last + 1` on (`UID SEARCH UID {last+1}:*`), under `validity`.
    func search(after last: UInt64, validity: UInt64) async throws -> [UInt64] {
        let body = try await execute(
            url: mailbox.url(validity: validity), command: "UID SEARCH UID \(last + 1):*", during: "UID SEARCH")
        return ImapResponse.search(body)
    }

    /// One message as stored, by URL; past ``maxMessageBytes`` its first bytes, `truncated`.
    func fetch(uid: UInt64, validity: UInt64) async throws -> (raw: [UInt8], truncated: Bool) {
        do {
            let body = try await execute(
                url: mailbox.messageURL(validity: validity, uid: uid), command: nil, during: "FETCH UID \(uid)",
                limit: Self.maxMessageBytes)
            return (body, false)
        } catch ImapError.transfer(let error, _) where error.isTooLarge {
            let body = try await execute(
                url: mailbox.messageURL(validity: validity, uid: uid, partial: Self.maxMessageBytes - 1),
                command: nil, during: "FETCH UID \(uid) (partial)", limit: Self.maxMessageBytes)
            return (body, true)
        }
    }

    /// One request with the source's login, on a connection of its own: a kept IMAP session shows
    /// its selected mailbox as it was (dovecot answers even STATUS from it), so new mail or a
    /// recreated mailbox would go unseen. curl's login-denied error becomes
    /// ``ImapError/authenticationFailed(user:server:)``.
    private func execute(url: String, command: String?, during: String, limit: Int? = nil) async throws -> [UInt8] {
        var request = CurlRequest(
            url: url, timeout: timeout, connectTimeout: .seconds(10), username: username, password: password,
            command: command, maxResponseBytes: limit)
        request.freshConnection = true
        do {
            return try await client.execute(request).body
        } catch let error as CurlError where error.isLoginDenied {
            throw ImapError.authenticationFailed(user: username, server: mailbox.server)
        } catch let error as CurlError {
            throw ImapError.transfer(error, during: during)
        }
    }
}
