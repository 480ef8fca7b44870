import SwitchboardConfig
import SwitchboardCore
import SwitchboardStore

extension RouteTables {
    func published() async throws -> RouteVersionRecord {
        guard let published = try await store.publishedRouteVersion() else {
            throw RouteTablesError.conflict("no routing table has been published yet")
        }
        return published
    }

    func versions() async throws -> RouteVersionsView {
        let versions = try await store.routeVersions()
        let published = try await store.publishedRouteVersion()?.version
        return RouteVersionsView(
            published: published, versions: versions.map { RouteVersionView($0, published: published, withFiles: false) })
    }

    func version(_ number: Int) async throws -> RouteVersionRecord {
        guard let version = try await store.routeVersion(number) else { throw RouteTablesError.unknownVersion(number) }
        return version
    }

    func draft() async throws -> RouteDraftView {
        guard let draft = try await store.routeDraft() else { throw RouteTablesError.noDraft }
        return view(of: draft, published: try await store.publishedRouteVersion()?.version)
    }

    func audit(limit: Int) async throws -> RouteAuditView {
        RouteAuditView(entries: try await store.routeAudit(limit: limit))
    }

    func view(of draft: RouteDraftRecord, published: Int?) -> RouteDraftView {
        let problems = validate(draft.files)
        return RouteDraftView(
            baseVersion: draft.baseVersion, publishedVersion: published, actor: draft.actor, updatedAt: draft.updatedAt,
            valid: problems.isEmpty, stale: published != draft.baseVersion, problems: problems.map(RouteProblemView.init),
            files: draft.files)
    }

    /// Every problem of a table, in the words of `switchboard routes check`; empty when it is valid.
    func validate(_ files: [RouteFile]) -> [ConfigProblem] {
        do throws(ConfigErrors) {
            _ = try RoutesLoader.parse(files, directory: directory)
            return []
        } catch {
            return error.problems
        }
    }
}
