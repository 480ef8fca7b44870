import Foundation
import SwitchboardCore
import SwitchboardStore

/// Versions of the routing table, the draft and their audit trail. A publication reads the published version
/// under the lock of `route_state`'s one row (on SQLite, under the one writer), so that two instances
/// publishing at once number their versions one after the other, and the second is refused when it expected
/// the first's predecessor; routing goes on meanwhile.
extension SQLStore {
    private static var routeVersionColumns: SQL { "version, files, digest, source, actor, created_at, restores" }

    public func routeVersions() async throws -> [RouteVersionRecord] {
        try await reading { session in
            try await Self.routeVersions(
                "SELECT \(Self.routeVersionColumns) FROM route_versions ORDER BY version DESC", session: session)
        }
    }

    public func routeVersion(_ number: Int) async throws -> RouteVersionRecord? {
        try await reading { session in
            try await Self.routeVersions(
                "SELECT \(Self.routeVersionColumns) FROM route_versions WHERE version = \(number)", session: session
            ).first
        }
    }

    public func publishedRouteVersion() async throws -> RouteVersionRecord? {
        try await reading { session in
            try await Self.routeVersions(
                """
                SELECT \(Self.routeVersionColumns) FROM route_versions
                WHERE version = (SELECT published FROM route_state WHERE id = 1)
                """, session: session
            ).first
        }
    }

    public func publishRoutes(_ publication: RoutePublication, now: Date) async throws -> RouteVersionRecord {
        let files = try StoreJSON.encode(publication.files)
        return try await transaction { session in
            let published = try await session.value(
                "SELECT published FROM route_state WHERE id = 1\(sqlite: "", postgres: " FOR UPDATE")", as: Int?.self
            ) ?? nil
            guard published == publication.expected else {
                throw StoreError.routeVersionConflict(expected: publication.expected, published: published)
            }
            let latest = try await session.value("SELECT MAX(version) FROM route_versions", as: Int?.self) ?? nil
            let version = (latest ?? 0) + 1
            try await session.execute(
                """
                INSERT INTO route_versions (version, files, digest, source, actor, created_at, restores)
                VALUES (\(version), \(files), \(publication.digest), \(publication.source), \(publication.actor), \(now),
                    \(publication.restores))
                """)
            try await session.execute("UPDATE route_state SET published = \(version) WHERE id = 1")
            if publication.clearsDraft { try await session.execute("DELETE FROM route_draft") }
            try await Self.insertRouteAudit(
                at: now, actor: publication.actor, action: publication.source, version: version, previous: published,
                summary: publication.summary, diff: publication.diff, session: session)
            return RouteVersionRecord(
                version: version, files: publication.files, digest: publication.digest, source: publication.source,
                actor: publication.actor, createdAt: now, restores: publication.restores)
        }
    }

    public func routeDraft() async throws -> RouteDraftRecord? {
        try await reading { session in
            guard
                let (files, baseVersion, actor, updatedAt) = try await session.row(
                    "SELECT files, base_version, actor, updated_at FROM route_draft", as: (Data, Int, String, Date).self)
            else { return nil }
            return RouteDraftRecord(
                files: try StoreJSON.decode([RouteFile].self, from: files), baseVersion: baseVersion, actor: actor,
                updatedAt: updatedAt)
        }
    }

    public func saveRouteDraft(_ draft: RouteDraftRecord, summary: String, diff: String) async throws {
        let files = try StoreJSON.encode(draft.files)
        try await transaction { session in
            try await session.execute(
                """
                INSERT INTO route_draft (id, files, base_version, actor, updated_at)
                VALUES (1, \(files), \(draft.baseVersion), \(draft.actor), \(draft.updatedAt))
                ON CONFLICT (id) DO UPDATE SET files = excluded.files, base_version = excluded.base_version,
                    actor = excluded.actor, updated_at = excluded.updated_at
                """)
            try await Self.insertRouteAudit(
                at: draft.updatedAt, actor: draft.actor, action: "draft", version: draft.baseVersion, previous: nil,
                summary: summary, diff: diff, session: session)
        }
    }

    public func deleteRouteDraft() async throws -> Bool {
        try await transaction { session in
            try await session.value("DELETE FROM route_draft RETURNING id", as: Int.self) != nil
        }
    }

    public func routeAudit(limit: Int) async throws -> [RouteAuditEntry] {
        try await reading { session in
            try await session.rows(
                """
                SELECT id, at, actor, action, version, previous_version, summary, diff FROM route_audit
                ORDER BY id DESC LIMIT \(limit)
                """, as: (Int, Date, String, String, Int, Int?, String, String).self
            ).map { id, at, actor, action, version, previous, summary, diff in
                RouteAuditEntry(
                    id: id, at: at, actor: actor, action: action, version: version, previousVersion: previous,
                    summary: summary, diff: diff)
            }
        }
    }

    private static func routeVersions(_ sql: SQL, session: Session) async throws -> [RouteVersionRecord] {
        try await session.rows(sql, as: (Int, Data, String, String, String, Date, Int?).self).map {
            version, files, digest, source, actor, createdAt, restores in
            RouteVersionRecord(
                version: version, files: try StoreJSON.decode([RouteFile].self, from: files), digest: digest,
                source: source, actor: actor, createdAt: createdAt, restores: restores)
        }
    }

    private static func insertRouteAudit(
        at: Date, actor: String, action: String, version: Int, previous: Int?, summary: String, diff: String,
        session: Session
    ) async throws {
        try await session.execute(
            """
            INSERT INTO route_audit (at, actor, action, version, previous_version, summary, diff)
            VALUES (\(at), \(actor), \(action), \(version), \(previous), \(summary), \(diff))
            """)
    }
}
