import Foundation
import PostgresNIO
import SwitchboardStore

/// Desk tokens created through the API, and what desk tokens did. One statement each: a revocation
/// committed by one instance is what every other instance reads next.
extension PostgresStore {
    typealias DeskTokenRow = (String, String, String, String, Double, String, Double?, Double?)

    static func deskToken(_ row: DeskTokenRow) -> DeskTokenRecord {
        DeskTokenRecord(
            id: row.0, digest: row.1, agents: DeskTokenRecord.agents(fromText: row.2), label: row.3,
            createdAt: Date(timeIntervalSince1970: row.4), createdBy: row.5,
            lastUsedAt: row.6.map(Date.init(timeIntervalSince1970:)), revokedAt: row.7.map(Date.init(timeIntervalSince1970:)))
    }

    public func addDeskToken(_ token: DeskTokenRecord) async throws {
        try await client.query(
            """
            INSERT INTO desk_tokens (id, digest, agents, label, created_at, created_by, last_used_at, revoked_at)
            VALUES (\(token.id), \(token.digest), \(DeskTokenRecord.agentsText(token.agents)), \(token.label),
                \(token.createdAt.timeIntervalSince1970), \(token.createdBy), \(token.lastUsedAt?.timeIntervalSince1970),
                \(token.revokedAt?.timeIntervalSince1970))
            """, logger: logger)
    }

    public func deskTokens() async throws -> [DeskTokenRecord] {
        var tokens: [DeskTokenRecord] = []
        let rows = try await client.query(
            """
            SELECT id, digest, agents, label, created_at, created_by, last_used_at, revoked_at FROM desk_tokens
            ORDER BY created_at, id
            """, logger: logger)
        for try await row in rows.decode(DeskTokenRow.self) { tokens.append(Self.deskToken(row)) }
        return tokens
    }

    public func useDeskToken(digest: String, now: Date) async throws -> DeskTokenRecord? {
        let rows = try await client.query(
            """
            SELECT id, digest, agents, label, created_at, created_by, last_used_at, revoked_at FROM desk_tokens
            WHERE digest = \(digest) AND revoked_at IS NULL
            """, logger: logger)
        var found: DeskTokenRecord?
        for try await row in rows.decode(DeskTokenRow.self) { found = Self.deskToken(row) }
        guard var token = found else { return nil }
        if token.lastUseIsStale(at: now) {
            try await client.query(
                "UPDATE desk_tokens SET last_used_at = \(now.timeIntervalSince1970) WHERE id = \(token.id)", logger: logger)
            token.lastUsedAt = now
        }
        return token
    }

    public func revokeDeskToken(id: String, now: Date) async throws -> DeskTokenRecord? {
        let rows = try await client.query(
            """
            UPDATE desk_tokens SET revoked_at = COALESCE(revoked_at, \(now.timeIntervalSince1970)) WHERE id = \(id)
            RETURNING id, digest, agents, label, created_at, created_by, last_used_at, revoked_at
            """, logger: logger)
        var found: DeskTokenRecord?
        for try await row in rows.decode(DeskTokenRow.self) { found = Self.deskToken(row) }
        return found
    }

    public func deskActions(limit: Int) async throws -> [DeskAction] {
        var actions: [DeskAction] = []
        let rows = try await client.query(
            "SELECT id, at, token_id, agents, action, subject FROM desk_actions ORDER BY id DESC LIMIT \(limit)",
            logger: logger)
        for try await (id, at, tokenId, agents, action, subject) in rows.decode((Int64, Double, String, String, String, String).self) {
            actions.append(
                DeskAction(
                    id: id, at: Date(timeIntervalSince1970: at), tokenId: tokenId,
                    agents: DeskTokenRecord.agents(fromText: agents), action: action, subject: subject))
        }
        return actions
    }
}

/// The /admin page's sessions: any instance serves any session.
extension PostgresStore {
    public func startAdminSession(_ session: AdminSessionRecord, now: Date) async throws {
        try await client.query(
            "DELETE FROM admin_sessions WHERE expires_at <= \(now.timeIntervalSince1970)", logger: logger)
        try await client.query(
            """
            INSERT INTO admin_sessions (digest, actor, csrf_token, expires_at, notice_kind, notice_text)
            VALUES (\(session.digest), \(session.actor), \(session.csrfToken), \(session.expiresAt.timeIntervalSince1970),
                \(session.notice?.kind), \(session.notice?.text))
            """, logger: logger)
    }

    public func adminSession(digest: String, now: Date) async throws -> AdminSessionRecord? {
        let rows = try await client.query(
            """
            SELECT digest, actor, csrf_token, expires_at, notice_kind, notice_text FROM admin_sessions
            WHERE digest = \(digest) AND expires_at > \(now.timeIntervalSince1970)
            """, logger: logger)
        var found: AdminSessionRecord?
        for try await (digest, actor, csrf, expires, kind, text) in rows.decode(
            (String, String, String, Double, String?, String?).self)
        {
            found = AdminSessionRecord(
                digest: digest, actor: actor, csrfToken: csrf, expiresAt: Date(timeIntervalSince1970: expires),
                notice: kind.flatMap { kind in text.map { AdminSessionRecord.Notice(kind: kind, text: $0) } })
        }
        return found
    }

    public func endAdminSession(digest: String) async throws {
        try await client.query("DELETE FROM admin_sessions WHERE digest = \(digest)", logger: logger)
    }

    public func setAdminNotice(digest: String, _ notice: AdminSessionRecord.Notice) async throws {
        try await client.query(
            "UPDATE admin_sessions SET notice_kind = \(notice.kind), notice_text = \(notice.text) WHERE digest = \(digest)",
            logger: logger)
    }

    public func takeAdminNotice(digest: String) async throws -> AdminSessionRecord.Notice? {
        // The old values, read under the row lock the update takes: two pages at once show the notice once.
        let rows = try await client.query(
            """
            UPDATE admin_sessions s SET notice_kind = NULL, notice_text = NULL
            FROM (SELECT digest, notice_kind, notice_text FROM admin_sessions WHERE digest = \(digest) FOR UPDATE) old
            WHERE s.digest = old.digest
            RETURNING old.notice_kind, old.notice_text
            """, logger: logger)
        var notice: AdminSessionRecord.Notice?
        for try await (kind, text) in rows.decode((String?, String?).self) {
            if let kind, let text { notice = AdminSessionRecord.Notice(kind: kind, text: text) }
        }
        return notice
    }
}

/// Failed authentications, counted per key and window; one upsert per key, so instances counting together
/// each see the sum.
extension PostgresStore {
    public func countAuthFailure(keys: [String], windowStart: Date) async throws -> [String: Int] {
        let start = windowStart.timeIntervalSince1970
        try await client.query("DELETE FROM auth_failures WHERE window_start < \(start)", logger: logger)
        var counts: [String: Int] = [:]
        for key in keys {
            let rows = try await client.query(
                """
                INSERT INTO auth_failures (key, window_start, count) VALUES (\(key), \(start), 1)
                ON CONFLICT (key, window_start) DO UPDATE SET count = auth_failures.count + 1
                RETURNING count
                """, logger: logger)
            for try await count in rows.decode(Int32.self) { counts[key] = Int(count) }
        }
        return counts
    }
}
