import Foundation
import GRDB
import SwitchboardCore
import SwitchboardStore

extension SQLiteStore {
    public func routeVersions() async throws -> [RouteVersionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.routeVersionColumns) FROM route_versions ORDER BY version DESC")
                .map(Self.routeVersion)
        }
    }

    public func routeVersion(_ number: Int) async throws -> RouteVersionRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.routeVersionColumns) FROM route_versions WHERE version = ?", arguments: [number]
            ).map(Self.routeVersion)
        }
    }

    public func publishedRouteVersion() async throws -> RouteVersionRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.routeVersionColumns) FROM route_versions
                    WHERE version = (SELECT published FROM route_state WHERE id = 1)
                    """
            ).map(Self.routeVersion)
        }
    }

    public func publishRoutes(_ publication: RoutePublication, now: Date) async throws -> RouteVersionRecord {
        try await pool.write { db in
            let published = try Int.fetchOne(db, sql: "SELECT published FROM route_state WHERE id = 1")
            guard published == publication.expected else {
                throw StoreError.routeVersionConflict(expected: publication.expected, published: published)
            }
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM route_versions") ?? 0) + 1
            let record = RouteVersionRecord(
                version: version, files: publication.files, digest: publication.digest, source: publication.source,
                actor: publication.actor, createdAt: now, restores: publication.restores)
            try db.execute(
                sql: """
                    INSERT INTO route_versions (version, files, digest, source, actor, created_at, restores)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    version, try StoreJSON.encode(publication.files), publication.digest, publication.source,
                    publication.actor, now.timeIntervalSince1970, publication.restores,
                ])
            try db.execute(sql: "UPDATE route_state SET published = ? WHERE id = 1", arguments: [version])
            if publication.clearsDraft { try db.execute(sql: "DELETE FROM route_draft") }
            try Self.insertRouteAudit(
                at: now, actor: publication.actor, action: publication.source, version: version, previous: published,
                summary: publication.summary, diff: publication.diff, db: db)
            return record
        }
    }

    public func routeDraft() async throws -> RouteDraftRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT files, base_version, actor, updated_at FROM route_draft").map { row in
                RouteDraftRecord(
                    files: try StoreJSON.decode([RouteFile].self, from: row["files"]), baseVersion: row["base_version"],
                    actor: row["actor"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            }
        }
    }

    public func saveRouteDraft(_ draft: RouteDraftRecord, summary: String, diff: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO route_draft (id, files, base_version, actor, updated_at) VALUES (1, ?, ?, ?, ?)
                    """,
                arguments: [
                    try StoreJSON.encode(draft.files), draft.baseVersion, draft.actor, draft.updatedAt.timeIntervalSince1970,
                ])
            try Self.insertRouteAudit(
                at: draft.updatedAt, actor: draft.actor, action: "draft", version: draft.baseVersion, previous: nil,
                summary: summary, diff: diff, db: db)
        }
    }

    public func deleteRouteDraft() async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM route_draft")
            return db.changesCount > 0
        }
    }

    public func routeAudit(limit: Int) async throws -> [RouteAuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at, actor, action, version, previous_version, summary, diff FROM route_audit
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                RouteAuditEntry(
                    id: row["id"], at: Date(timeIntervalSince1970: row["at"]), actor: row["actor"], action: row["action"],
                    version: row["version"], previousVersion: row["previous_version"], summary: row["summary"],
                    diff: row["diff"])
            }
        }
    }

    public func recentConversations(limit: Int) async throws -> [RecentConversation] {
        try await pool.read { db in
            try SQLiteConversations.fetch(
                db, where: "1 ORDER BY started_at DESC, rowid DESC LIMIT ?", arguments: [limit]
            ).map { conversation, message in
                RecentConversation(
                    id: conversation.id, channel: conversation.channel, startedAt: conversation.startedAt,
                    message: message, agentId: conversation.agentId, previousAgentId: conversation.previousAgentId)
            }
        }
    }

    static let routeVersionColumns = "version, files, digest, source, actor, created_at, restores"

    static func routeVersion(_ row: Row) throws -> RouteVersionRecord {
        RouteVersionRecord(
            version: row["version"], files: try StoreJSON.decode([RouteFile].self, from: row["files"]),
            digest: row["digest"], source: row["source"], actor: row["actor"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), restores: row["restores"])
    }

    static func insertRouteAudit(
        at: Date, actor: String, action: String, version: Int, previous: Int?, summary: String, diff: String,
        db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO route_audit (at, actor, action, version, previous_version, summary, diff)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [at.timeIntervalSince1970, actor, action, version, previous, summary, diff])
    }
}
