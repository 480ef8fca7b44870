import Foundation
import Logging
import SwitchboardConfig
import SwitchboardCore
import SwitchboardStore

extension RouteTables {
    /// Reconciles the routes directory (`files`, read and checked as `table` before start-up) with the
    /// versions the store has, puts the version in force here, and returns the table to start with:
    /// - the directory as last synced, but a later version published (here or by another instance): that
    ///   version, written into the directory;
    /// - the directory changed since (by hand, or on the first start): it becomes a new version;
    /// - otherwise the published version.
    /// - Throws: `ConfigErrors` naming file, line and problem when a published version no longer reads.
    func reconcile(files: [RouteFile], table: RoutingTable) async throws -> RoutingTable {
        let (table, version) = try await reconciled(files: files, table: table)
        inForce.withLock { $0 = version }
        return table
    }

    private func reconciled(files: [RouteFile], table: RoutingTable) async throws -> (RoutingTable, Int) {
        let digest = Self.digest(of: files)
        let synced = RoutesSyncMark.read(directory: directory)
        // Instances starting together may both record the same change: the one that loses sees it recorded.
        for attempt in 1...3 {
            let published = try await store.publishedRouteVersion()
            if let published, published.digest != digest, synced == digest {
                logger.warning(
                    "routes directory is behind the published version; writing that version into it",
                    metadata: ["version": "\(published.version)", "routes": "\(directory)"])
                let table = try RoutesLoader.parse(published.files, directory: directory)
                try RoutesWriter.write(published.files, to: directory)
                try RoutesSyncMark.write(published.digest, directory: directory)
                return (table, published.version)
            }
            var version = published?.version ?? 0
            if published?.digest != digest {
                do {
                    version = try await store.publishRoutes(
                        RoutePublication(
                            files: files, digest: digest, source: "file", actor: "file:\(directory)",
                            expected: published?.version,
                            summary: published == nil
                                ? "first version, loaded from \(directory)"
                                : "loaded from \(directory), changed while stopped",
                            diff: RouteDiff.unified(from: published?.files ?? [], to: files)),
                        now: Date()
                    ).version
                } catch StoreError.routeVersionConflict where attempt < 3 {
                    continue
                }
                logger.info(
                    "routing table recorded as a new version", metadata: ["version": "\(version)", "routes": "\(directory)"])
            }
            if synced != digest { try RoutesSyncMark.write(digest, directory: directory) }
            return (table, version)
        }
        throw RouteTablesError.conflict("the routing table kept changing while this instance started")
    }
}
