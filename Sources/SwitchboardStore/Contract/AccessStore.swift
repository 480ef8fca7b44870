import Foundation

/// Desk tokens created through the admin API, and what desk tokens did. Every instance reads the same
/// rows, so a revocation takes effect at once everywhere.
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
}
