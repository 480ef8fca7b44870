import Foundation

/// Desk tokens created through the admin API, what desk tokens did, and the /admin page's sessions. Every
/// instance reads the same rows, so a revocation or a sign-out takes effect at once everywhere, and a
/// restart signs nobody out.
public protocol AccessStore: Sendable {
    /// Stores a new token; fails when its id or digest is taken.
    func addDeskToken(_ token: DeskTokenRecord) async throws

    /// Every token created through the API, revoked ones too, oldest first.
    func deskTokens() async throws -> [DeskTokenRecord]

    /// The token with this digest when it is not revoked, its last use moved to `now` when the stored one is
    /// older than ``DeskTokenRecord/lastUseResolution`` (the record returned has it); nil otherwise.
    func useDeskToken(digest: String, now: Date) async throws -> DeskTokenRecord?

    /// Revokes the token at `now`: it authenticates nothing from then on. Returns the record, or nil when
    /// there is no such token; a token revoked already keeps its first revocation time.
    func revokeDeskToken(id: String, now: Date) async throws -> DeskTokenRecord?

    /// The changes desk tokens made, newest first, at most `limit`.
    func deskActions(limit: Int) async throws -> [DeskAction]

    /// Stores a new /admin session, and forgets the ones expired by `now`.
    func startAdminSession(_ session: AdminSessionRecord, now: Date) async throws

    /// The session with this digest when it has not expired by `now`; nil otherwise.
    func adminSession(digest: String, now: Date) async throws -> AdminSessionRecord?

    /// Ends a session (signing out): it is refused from then on, by every instance.
    func endAdminSession(digest: String) async throws

    /// Leaves a message for the session's next page, replacing any left before.
    func setAdminNotice(digest: String, _ notice: AdminSessionRecord.Notice) async throws

    /// The session's message, removed in the same step so that it shows once.
    func takeAdminNotice(digest: String) async throws -> AdminSessionRecord.Notice?

    /// Counts one failed authentication against each of `keys` (`ip:...`, `token:...`) in the window that
    /// began at `windowStart`, forgetting older windows; returns each key's count in the window. Every instance
    /// counts into the same rows.
    func countAuthFailure(keys: [String], windowStart: Date) async throws -> [String: Int]
}
