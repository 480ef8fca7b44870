import Crypto
import Foundation
import Synchronization

/// The /admin page's sessions, in memory: a restart signs everyone out.
///
/// A session is found by the SHA-256 of its id, so the id itself is never kept, and looking one up
/// takes the same time whatever part of a guess is right. Expired sessions are refused and forgotten.
final class AdminSessions: Sendable {
    /// How long a session lasts from sign-in.
    let lifetime: TimeInterval
    private let sessions = Mutex<[String: AdminSession]>([:])

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    /// Starts a session for `actor`; returns its id, for the cookie, and the session.
    func create(actor: String, now: Date = Date()) -> (id: String, session: AdminSession) {
        let id = SessionSecret.make()
        let session = AdminSession(
            actor: actor, csrfToken: SessionSecret.make(), expiresAt: now.addingTimeInterval(lifetime))
        sessions.withLock { sessions in
            Self.prune(&sessions, now: now)
            sessions[Self.key(id)] = session
        }
        return (id, session)
    }

    /// The live session with this id; nil when there is none or it has expired (then it is forgotten).
    func session(id: String, now: Date = Date()) -> AdminSession? {
        let key = Self.key(id)
        return sessions.withLock { sessions in
            guard let session = sessions[key] else { return nil }
            guard session.expiresAt > now else {
                sessions[key] = nil
                return nil
            }
            return session
        }
    }

    /// Ends a session (signing out).
    func end(id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: Self.key(id)) }
    }

    /// Leaves a message for the session's next page.
    func setNotice(_ notice: AdminNotice, id: String) {
        sessions.withLock { $0[Self.key(id)]?.notice = notice }
    }

    /// The session's message, removed so that it shows once.
    func takeNotice(id: String) -> AdminNotice? {
        sessions.withLock { sessions in
            let key = Self.key(id)
            defer { sessions[key]?.notice = nil }
            return sessions[key]?.notice
        }
    }

    /// How many sessions are kept, expired ones included until the next sign-in prunes them.
    var count: Int { sessions.withLock { $0.count } }

    private static func prune(_ sessions: inout [String: AdminSession], now: Date) {
        sessions = sessions.filter { $0.value.expiresAt > now }
    }

    private static func key(_ id: String) -> String {
        SHA256.hash(data: Array(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
