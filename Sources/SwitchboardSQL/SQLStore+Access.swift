import Foundation
import SwitchboardStore

/// Desk tokens created through the API, and what desk tokens did. One statement each where it can be: a
/// revocation committed by one instance is what every other instance reads next.
extension SQLStore {
    private static var deskTokenColumns: SQL { "id, digest, agents, label, created_at, created_by, last_used_at, revoked_at" }
    private typealias DeskTokenRow = (String, String, String, String, Date, String, Date?, Date?)

    private static func deskToken(_ row: DeskTokenRow) -> DeskTokenRecord {
        DeskTokenRecord(
            id: row.0, digest: row.1, agents: DeskTokenRecord.agents(fromText: row.2), label: row.3, createdAt: row.4,
            createdBy: row.5, lastUsedAt: row.6, revokedAt: row.7)
    }

    public func addDeskToken(_ token: DeskTokenRecord) async throws {
        try await transaction { session in
            try await session.execute(
                """
                INSERT INTO desk_tokens (\(Self.deskTokenColumns))
                VALUES (\(token.id), \(token.digest), \(DeskTokenRecord.agentsText(token.agents)), \(token.label),
                    \(token.createdAt), \(token.createdBy), \(token.lastUsedAt), \(token.revokedAt))
                """)
        }
    }

    public func deskTokens() async throws -> [DeskTokenRecord] {
        try await reading { session in
            try await session.rows(
                "SELECT \(Self.deskTokenColumns) FROM desk_tokens ORDER BY created_at, id", as: DeskTokenRow.self
            ).map(Self.deskToken)
        }
    }

    public func useDeskToken(digest: String, now: Date) async throws -> DeskTokenRecord? {
        let found = try await reading { session in
            try await session.row(
                "SELECT \(Self.deskTokenColumns) FROM desk_tokens WHERE digest = \(digest) AND revoked_at IS NULL",
                as: DeskTokenRow.self
            ).map(Self.deskToken)
        }
        guard var token = found else { return nil }
        if token.lastUseIsStale(at: now) {
            let id = token.id
            try await transaction { session in
                try await session.execute("UPDATE desk_tokens SET last_used_at = \(now) WHERE id = \(id)")
            }
            token.lastUsedAt = now
        }
        return token
    }

    public func revokeDeskToken(id: String, now: Date) async throws -> DeskTokenRecord? {
        try await transaction { session in
            try await session.row(
                """
                UPDATE desk_tokens SET revoked_at = COALESCE(revoked_at, \(now)) WHERE id = \(id)
                RETURNING \(Self.deskTokenColumns)
                """, as: DeskTokenRow.self
            ).map(Self.deskToken)
        }
    }

    public func deskActions(limit: Int) async throws -> [DeskAction] {
        try await reading { session in
            try await session.rows(
                "SELECT id, at, token_id, agents, action, subject FROM desk_actions ORDER BY id DESC LIMIT \(limit)",
                as: (Int64, Date, String, String, String, String).self
            ).map { id, at, tokenId, agents, action, subject in
                DeskAction(
                    id: id, at: at, tokenId: tokenId, agents: DeskTokenRecord.agents(fromText: agents), action: action,
                    subject: subject)
            }
        }
    }
}

/// The /admin page's sessions: any instance serves any session, and a restart signs nobody out.
extension SQLStore {
    public func startAdminSession(_ session: AdminSessionRecord, now: Date) async throws {
        try await transaction { sql in
            try await sql.execute("DELETE FROM admin_sessions WHERE expires_at <= \(now)")
            try await sql.execute(
                """
                INSERT INTO admin_sessions (digest, actor, csrf_token, expires_at, notice_kind, notice_text)
                VALUES (\(session.digest), \(session.actor), \(session.csrfToken), \(session.expiresAt),
                    \(session.notice?.kind), \(session.notice?.text))
                """)
        }
    }

    public func adminSession(digest: String, now: Date) async throws -> AdminSessionRecord? {
        try await reading { session in
            try await session.row(
                """
                SELECT digest, actor, csrf_token, expires_at, notice_kind, notice_text FROM admin_sessions
                WHERE digest = \(digest) AND expires_at > \(now)
                """, as: (String, String, String, Date, String?, String?).self
            ).map { digest, actor, csrf, expires, kind, text in
                AdminSessionRecord(
                    digest: digest, actor: actor, csrfToken: csrf, expiresAt: expires,
                    notice: kind.flatMap { kind in text.map { AdminSessionRecord.Notice(kind: kind, text: $0) } })
            }
        }
    }

    public func endAdminSession(digest: String) async throws {
        try await transaction { session in
            try await session.execute("DELETE FROM admin_sessions WHERE digest = \(digest)")
        }
    }

    public func setAdminNotice(digest: String, _ notice: AdminSessionRecord.Notice) async throws {
        try await transaction { session in
            try await session.execute(
                "UPDATE admin_sessions SET notice_kind = \(notice.kind), notice_text = \(notice.text) WHERE digest = \(digest)")
        }
    }

    public func takeAdminNotice(digest: String) async throws -> AdminSessionRecord.Notice? {
        // Read under the row's lock on PostgreSQL (SQLite's writer is alone): two pages at once show it once.
        try await transaction { session in
            guard
                let (kind, text) = try await session.row(
                    """
                    SELECT notice_kind, notice_text FROM admin_sessions WHERE digest = \(digest)\(sqlite: "", postgres: " FOR UPDATE")
                    """, as: (String?, String?).self),
                let kind, let text
            else { return nil }
            try await session.execute(
                "UPDATE admin_sessions SET notice_kind = NULL, notice_text = NULL WHERE digest = \(digest)")
            return AdminSessionRecord.Notice(kind: kind, text: text)
        }
    }
}

/// Failed authentications, counted per key and window; one upsert per key, so instances counting together
/// each see the sum.
extension SQLStore {
    public func countAuthFailure(keys: [String], windowStart: Date) async throws -> [String: Int] {
        try await transaction { session in
            try await session.execute("DELETE FROM auth_failures WHERE window_start < \(windowStart)")
            var counts: [String: Int] = [:]
            for key in keys {
                counts[key] = try await session.value(
                    """
                    INSERT INTO auth_failures (key, window_start, count) VALUES (\(key), \(windowStart), 1)
                    ON CONFLICT (key, window_start) DO UPDATE SET count = auth_failures.count + 1
                    RETURNING count
                    """, as: Int.self) ?? 1
            }
            return counts
        }
    }
}
