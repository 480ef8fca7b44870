import Crypto
import Foundation
import SwitchboardConnectors
import SwitchboardStore

/// The /admin page's sessions, kept in the store: a restart signs nobody out, any instance serves any
/// session, and signing out ends it everywhere at once.
///
/// A session is found by the SHA-256 of its id, so the id itself is never kept, and looking one up
/// takes the same time whatever part of a guess is right. Expired sessions are refused, and forgotten
/// when the next one starts.
final class AdminSessions: Sendable {
    /// How long a session lasts from sign-in.
    let lifetime: TimeInterval
    private let store: any AccessStore

    init(lifetime: TimeInterval, store: any AccessStore) {
        self.lifetime = lifetime
        self.store = store
    }

    /// Starts a session for `actor`; returns its id, for the cookie, and the session.
    func create(actor: String, now: Date = Date()) async throws -> (id: String, session: AdminSession) {
        let id = SessionSecret.make()
        let session = AdminSession(
            actor: actor, csrfToken: SessionSecret.make(), expiresAt: now.addingTimeInterval(lifetime))
        try await store.startAdminSession(
            AdminSessionRecord(
                digest: Self.key(id), actor: session.actor, csrfToken: session.csrfToken, expiresAt: session.expiresAt),
            now: now)
        return (id, session)
    }

    /// The live session with this id; nil when there is none or it has expired.
    func session(id: String, now: Date = Date()) async throws -> AdminSession? {
        try await store.adminSession(digest: Self.key(id), now: now).map { record in
            AdminSession(
                actor: record.actor, csrfToken: record.csrfToken, expiresAt: record.expiresAt,
                notice: record.notice.flatMap(AdminNotice.init))
        }
    }

    /// Ends a session (signing out).
    func end(id: String) async throws {
        try await store.endAdminSession(digest: Self.key(id))
    }

    /// Leaves a message for the session's next page.
    func setNotice(_ notice: AdminNotice, id: String) async throws {
        try await store.setAdminNotice(
            digest: Self.key(id), AdminSessionRecord.Notice(kind: notice.kind.rawValue, text: notice.text))
    }

    /// The session's message, removed so that it shows once.
    func takeNotice(id: String) async throws -> AdminNotice? {
        try await store.takeAdminNotice(digest: Self.key(id)).flatMap(AdminNotice.init)
    }

    private static func key(_ id: String) -> String {
        Signature.hex(Array(SHA256.hash(data: Array(id.utf8))))
    }
}

extension AdminNotice {
    /// A stored notice; nil for a kind this version does not know.
    init?(_ stored: AdminSessionRecord.Notice) {
        guard let kind = Kind(rawValue: stored.kind) else { return nil }
        self.init(kind: kind, text: stored.text)
    }
}
