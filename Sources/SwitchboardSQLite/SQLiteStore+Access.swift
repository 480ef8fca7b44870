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
