import Foundation
import GRDB
import SwitchboardStore

/// Desk tokens created through the API, and what desk tokens did.
extension SQLiteStore {
    static let deskTokenColumns = "id, digest, agents, label, created_at, created_by, last_used_at, revoked_at"

    static func deskToken(_ row: Row) -> DeskTokenRecord {
        DeskTokenRecord(
            id: row["id"], digest: row["digest"], agents: DeskTokenRecord.agents(fromText: row["agents"]),
            label: row["label"], createdAt: Date(timeIntervalSince1970: row["created_at"]), createdBy: row["created_by"],
            lastUsedAt: (row["last_used_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    public func addDeskToken(_ token: DeskTokenRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO desk_tokens (\(Self.deskTokenColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    token.id, token.digest, DeskTokenRecord.agentsText(token.agents), token.label,
                    token.createdAt.timeIntervalSince1970, token.createdBy, token.lastUsedAt?.timeIntervalSince1970,
                    token.revokedAt?.timeIntervalSince1970,
                ])
        }
    }

    public func deskTokens() async throws -> [DeskTokenRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.deskTokenColumns) FROM desk_tokens ORDER BY created_at, id")
                .map(Self.deskToken)
        }
    }

    public func useDeskToken(digest: String, now: Date) async throws -> DeskTokenRecord? {
        let found = try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(Self.deskTokenColumns) FROM desk_tokens WHERE digest = ? AND revoked_at IS NULL"),
                arguments: [digest]
            ).map(Self.deskToken)
        }
        guard var token = found else { return nil }
        if token.lastUseIsStale(at: now) {
            let id = token.id
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE desk_tokens SET last_used_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, id])
            }
            token.lastUsedAt = now
        }
        return token
    }

    public func revokeDeskToken(id: String, now: Date) async throws -> DeskTokenRecord? {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE desk_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [now.timeIntervalSince1970, id])
            return try Row.fetchOne(
                db, sql: "SELECT \(Self.deskTokenColumns) FROM desk_tokens WHERE id = ?", arguments: [id]
            ).map(Self.deskToken)
        }
    }

    public func deskActions(limit: Int) async throws -> [DeskAction] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, at, token_id, agents, action, subject FROM desk_actions ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map { row in
                DeskAction(
                    id: row["id"], at: Date(timeIntervalSince1970: row["at"]), tokenId: row["token_id"],
                    agents: DeskTokenRecord.agents(fromText: row["agents"]), action: row["action"], subject: row["subject"])
            }
        }
    }
}

/// The /admin page's sessions.
extension SQLiteStore {
    public func startAdminSession(_ session: AdminSessionRecord, now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM admin_sessions WHERE expires_at <= ?", arguments: [now.timeIntervalSince1970])
            try db.execute(
                sql: """
                    INSERT INTO admin_sessions (digest, actor, csrf_token, expires_at, notice_kind, notice_text)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.digest, session.actor, session.csrfToken, session.expiresAt.timeIntervalSince1970,
                    session.notice?.kind, session.notice?.text,
                ])
        }
    }

    public func adminSession(digest: String, now: Date) async throws -> AdminSessionRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT digest, actor, csrf_token, expires_at, notice_kind, notice_text FROM admin_sessions
                        WHERE digest = ? AND expires_at > ?
                        """),
                arguments: [digest, now.timeIntervalSince1970]
            ).map { row in
                let kind: String? = row["notice_kind"]
                let text: String? = row["notice_text"]
                return AdminSessionRecord(
                    digest: row["digest"], actor: row["actor"], csrfToken: row["csrf_token"],
                    expiresAt: Date(timeIntervalSince1970: row["expires_at"]),
                    notice: kind.flatMap { kind in text.map { AdminSessionRecord.Notice(kind: kind, text: $0) } })
            }
        }
    }

    public func endAdminSession(digest: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM admin_sessions WHERE digest = ?", arguments: [digest]) }
    }

    public func setAdminNotice(digest: String, _ notice: AdminSessionRecord.Notice) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE admin_sessions SET notice_kind = ?, notice_text = ? WHERE digest = ?",
                arguments: [notice.kind, notice.text, digest])
        }
    }

    public func takeAdminNotice(digest: String) async throws -> AdminSessionRecord.Notice? {
        try await pool.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT notice_kind, notice_text FROM admin_sessions WHERE digest = ?", arguments: [digest]),
                let kind = row["notice_kind"] as String?, let text = row["notice_text"] as String?
            else { return nil }
            try db.execute(
                sql: "UPDATE admin_sessions SET notice_kind = NULL, notice_text = NULL WHERE digest = ?", arguments: [digest])
            return AdminSessionRecord.Notice(kind: kind, text: text)
        }
    }
}

/// Failed authentications, counted per key and window.
extension SQLiteStore {
    public func countAuthFailure(keys: [String], windowStart: Date) async throws -> [String: Int] {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM auth_failures WHERE window_start < ?", arguments: [windowStart.timeIntervalSince1970])
            var counts: [String: Int] = [:]
            for key in keys {
                counts[key] = try Int.fetchOne(
                    db,
                    sql: """
                        INSERT INTO auth_failures (key, window_start, count) VALUES (?, ?, 1)
                        ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
                        RETURNING count
                        """, arguments: [key, windowStart.timeIntervalSince1970]) ?? 1
            }
            return counts
        }
    }
}
