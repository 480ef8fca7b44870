import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// Versions of the routing table, the draft and their audit trail. Changes run in the routing-state
/// writer (``PostgresStore/write(_:)``), so that two instances publishing at once number their versions
/// one after the other and the second is refused when it expected the first's predecessor.
extension PostgresStore {
    public func routeVersions() async throws -> [RouteVersionRecord] {
        try await read { connection in
            try await routeVersions(
                "SELECT \(unescaped: Self.routeVersionColumns) FROM route_versions ORDER BY version DESC",
                connection: connection)
        }
    }

    public func routeVersion(_ number: Int) async throws -> RouteVersionRecord? {
        try await read { connection in
            try await routeVersions(
                "SELECT \(unescaped: Self.routeVersionColumns) FROM route_versions WHERE version = \(number)",
                connection: connection
            ).first
        }
    }

    public func publishedRouteVersion() async throws -> RouteVersionRecord? {
        try await read { connection in
            try await routeVersions(
                """
                SELECT \(unescaped: Self.routeVersionColumns) FROM route_versions
                WHERE version = (SELECT published FROM route_state WHERE id = 1)
                """, connection: connection
            ).first
        }
    }

    public func publishRoutes(_ publication: RoutePublication, now: Date) async throws -> RouteVersionRecord {
        let files = try StoreJSON.encode(publication.files)
        return try await write { connection in
            var published: Int?
            for try await version in try await connection.checkedQuery(
                "SELECT published FROM route_state WHERE id = 1", logger: logger
            ).decode(Int?.self) {
                published = version
            }
            guard published == publication.expected else {
                throw StoreError.routeVersionConflict(expected: publication.expected, published: published)
            }
            let version =
                try await count("SELECT COALESCE(MAX(version), 0) FROM route_versions", connection: connection) + 1
            try await connection.checkedQuery(
                """
                INSERT INTO route_versions (version, files, digest, source, actor, created_at, restores)
                VALUES (\(version), \(files), \(publication.digest), \(publication.source), \(publication.actor),
                    \(now.timeIntervalSince1970), \(publication.restores))
                """, logger: logger)
            try await connection.checkedQuery("UPDATE route_state SET published = \(version) WHERE id = 1", logger: logger)
            if publication.clearsDraft { try await connection.checkedQuery("DELETE FROM route_draft", logger: logger) }
            try await insertRouteAudit(
                at: now, actor: publication.actor, action: publication.source, version: version, previous: published,
                summary: publication.summary, diff: publication.diff, connection: connection)
            return RouteVersionRecord(
                version: version, files: publication.files, digest: publication.digest, source: publication.source,
                actor: publication.actor, createdAt: now, restores: publication.restores)
        }
    }

    public func routeDraft() async throws -> RouteDraftRecord? {
        try await read { connection in
            for try await (files, baseVersion, actor, updatedAt) in try await connection.checkedQuery(
                "SELECT files, base_version, actor, updated_at FROM route_draft", logger: logger
            ).decode((Data, Int, String, Double).self) {
                return RouteDraftRecord(
                    files: try StoreJSON.decode([RouteFile].self, from: files), baseVersion: baseVersion, actor: actor,
                    updatedAt: Date(timeIntervalSince1970: updatedAt))
            }
            return nil
        }
    }

    public func saveRouteDraft(_ draft: RouteDraftRecord, summary: String, diff: String) async throws {
        let files = try StoreJSON.encode(draft.files)
        try await write { connection in
            try await connection.checkedQuery(
                """
                INSERT INTO route_draft (id, files, base_version, actor, updated_at)
                VALUES (1, \(files), \(draft.baseVersion), \(draft.actor), \(draft.updatedAt.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET files = excluded.files, base_version = excluded.base_version,
                    actor = excluded.actor, updated_at = excluded.updated_at
                """, logger: logger)
            try await insertRouteAudit(
                at: draft.updatedAt, actor: draft.actor, action: "draft", version: draft.baseVersion, previous: nil,
                summary: summary, diff: diff, connection: connection)
        }
    }

    public func deleteRouteDraft() async throws -> Bool {
        try await write { connection in
            var deleted = false
            for try await _ in try await connection.checkedQuery("DELETE FROM route_draft RETURNING id", logger: logger)
                .decode(Int.self)
            {
                deleted = true
            }
            return deleted
        }
    }

    public func routeAudit(limit: Int) async throws -> [RouteAuditEntry] {
        try await read { connection in
            var entries: [RouteAuditEntry] = []
            for try await (id, at, actor, action, version, previous, summary, diff) in try await connection.checkedQuery(
                """
                SELECT id, at, actor, action, version, previous_version, summary, diff FROM route_audit
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).decode((Int, Double, String, String, Int, Int?, String, String).self) {
                entries.append(
                    RouteAuditEntry(
                        id: id, at: Date(timeIntervalSince1970: at), actor: actor, action: action, version: version,
                        previousVersion: previous, summary: summary, diff: diff))
            }
            return entries
        }
    }

    public func recentConversations(limit: Int) async throws -> [RecentConversation] {
        try await read { connection in
            var recent: [RecentConversation] = []
            for try await (id, channel, startedAt, lastMessage, agentId, previousAgentId) in try await connection.checkedQuery(
                """
                SELECT id, channel, started_at, last_message, agent_id, previous_agent_id FROM conversations
                ORDER BY started_at DESC, position DESC LIMIT \(limit)
                """, logger: logger
            ).decode((String, String, Double, Data, String?, String?).self) {
                recent.append(
                    RecentConversation(
                        id: id, channel: channel, startedAt: Date(timeIntervalSince1970: startedAt),
                        message: try StoreJSON.decode(InboundMessage.self, from: lastMessage), agentId: agentId,
                        previousAgentId: previousAgentId))
            }
            return recent
        }
    }

    static let routeVersionColumns = "version, files, digest, source, actor, created_at, restores"

    private func routeVersions(_ query: PostgresQuery, connection: PostgresConnection) async throws
        -> [RouteVersionRecord]
    {
        var versions: [RouteVersionRecord] = []
        for try await (version, files, digest, source, actor, createdAt, restores) in try await connection.checkedQuery(
            query, logger: logger
        ).decode((Int, Data, String, String, String, Double, Int?).self) {
            versions.append(
                RouteVersionRecord(
                    version: version, files: try StoreJSON.decode([RouteFile].self, from: files), digest: digest,
                    source: source, actor: actor, createdAt: Date(timeIntervalSince1970: createdAt), restores: restores)
            )
        }
        return versions
    }

    private func insertRouteAudit(
        at: Date, actor: String, action: String, version: Int, previous: Int?, summary: String, diff: String,
        connection: PostgresConnection
    ) async throws {
        try await connection.checkedQuery(
            """
            INSERT INTO route_audit (at, actor, action, version, previous_version, summary, diff)
            VALUES (\(at.timeIntervalSince1970), \(actor), \(action), \(version), \(previous), \(summary), \(diff))
            """, logger: logger)
    }
}
