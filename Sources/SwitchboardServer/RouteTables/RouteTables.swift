import Crypto
import Foundation
import Logging
import SwitchboardConfig
import SwitchboardCore
import SwitchboardStore
import Synchronization

/// The routing table's versions, its draft, and every way a table goes live: a draft published, a
/// rollback, or a change to the routes directory. Each publishes a new version, in one store transaction
/// with its audit entry, writes its files into the routes directory (so that the directory an admin edits
/// by hand always holds the table in force) and puts the table in force in the dispatcher.
///
/// Changes run one at a time. A publish records the version before it writes the files; should the
/// process die in between, the next start finds the files as they were last synced and writes the
/// published version over them, so nothing published is undone.
final class RouteTables: Sendable {
    let store: any RouteTableStore & RoutingStore & ConversationStore
    /// The routes directory, as configured (`Routes`): problems name files under it.
    let directory: String
    let dispatcher: Dispatcher
    let sources: InboundSources
    let logger: Logger
    private let changes = AsyncLock()
    /// Simulated days, one at a time: each takes a few seconds of a core.
    let days = AsyncLock()
    /// The digest of the directory the last time it was looked at: a change is loaded (or refused) once.
    private let lastSeenDigest: Mutex<String?>
    /// The version this instance has in force (0 until start-up has reconciled the directory with the store).
    let inForce = Mutex(0)

    /// How many conversations a replay takes at most.
    static let replayLimit = 1_000

    init(
        store: any RouteTableStore & RoutingStore & ConversationStore, directory: String, dispatcher: Dispatcher, sources: InboundSources, logger: Logger
    ) {
        self.store = store
        self.directory = directory
        self.dispatcher = dispatcher
        self.sources = sources
        self.lastSeenDigest = Mutex(RoutesSyncMark.read(directory: directory))
        self.logger = logger
    }

    static func digest(of files: [RouteFile]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { $0.name < $1.name }) {
            for part in [file.name, file.yaml] {
                let bytes = Array(part.utf8)
                withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
                hasher.update(data: bytes)
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Puts in force the version another instance published, if there is one: writes it into this
    /// instance's routes directory too. Returns it.
    @discardableResult
    func followPublished(now: Date = Date()) async throws -> RouteVersionRecord? {
        try await changes.run {
            guard let published = try await self.store.publishedRouteVersion(),
                published.version != self.inForce.withLock({ $0 })
            else { return nil }
            let table = try self.table(of: published.files)
            try await self.dispatcher.replaceTable(table, now: now)
            self.inForce.withLock { $0 = published.version }
            self.writeIntoDirectory(published)
            self.logger.info(
                "routing table published by another instance put in force",
                metadata: ["version": "\(published.version)", "source": "\(published.source)"])
            return published
        }
    }

    // MARK: the draft

    /// Puts `yaml` in the draft as the file `file` (optional when the table has one file), starting the
    /// draft from the published table when there is none. The draft is kept even when invalid, with its
    /// problems, so that no edit is lost.
    func saveDraft(yaml: String, file: String?, actor: String, now: Date = Date()) async throws -> RouteDraftView {
        try await changes.run {
            let published = try await self.published()
            let existing = try await self.store.routeDraft()
            var files = existing?.files ?? published.files
            let name: String
            if let file {
                guard RouteFile.isValidName(file) else {
                    throw RouteTablesError.unprocessable(
                        "file \"\(file)\" is not a routing-table file name: use a plain name ending in .yaml or .yml")
                }
                name = file
            } else if files.count == 1 {
                name = files[0].name
            } else {
                throw RouteTablesError.conflict(
                    "the table has \(files.count) files (\(files.map(\.name).joined(separator: ", "))): "
                        + "name the one this YAML replaces with ?file=")
            }
            if let index = files.firstIndex(where: { $0.name == name }) {
                files[index].yaml = yaml
            } else {
                files.append(RouteFile(name: name, yaml: yaml))
                files.sort { $0.name < $1.name }
            }
            let draft = RouteDraftRecord(
                files: files, baseVersion: existing?.baseVersion ?? published.version, actor: actor, updatedAt: now)
            let problems = self.validate(files)
            let state = problems.isEmpty ? "valid" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")"
            try await self.store.saveRouteDraft(
                draft, summary: "draft saved: \(name) (\(state))",
                diff: RouteDiff.unified(from: published.files, to: files))
            return self.view(of: draft, published: published.version)
        }
    }

    func discardDraft() async throws {
        guard try await changes.run({ try await self.store.deleteRouteDraft() }) else { throw RouteTablesError.noDraft }
    }

    // MARK: going live

    /// Makes the draft the published table: refused when it has problems or was started from an older version.
    func publish(actor: String, now: Date = Date()) async throws -> RouteVersionRecord {
        try await changes.run {
            guard let draft = try await self.store.routeDraft() else { throw RouteTablesError.noDraft }
            let table = try self.table(of: draft.files)
            let published = try await self.published()
            guard draft.baseVersion == published.version else {
                throw RouteTablesError.staleDraft(base: draft.baseVersion, published: published.version)
            }
            return try await self.goLive(
                RoutePublication(
                    files: draft.files, digest: Self.digest(of: draft.files), source: "publish", actor: actor,
                    expected: published.version, summary: "published the draft (started from version \(draft.baseVersion))",
                    diff: RouteDiff.unified(from: published.files, to: draft.files), clearsDraft: true),
                table: table, now: now)
        }
    }

    /// Publishes version `number`'s files again, as a new version.
    func rollback(to number: Int, actor: String, now: Date = Date()) async throws -> RouteVersionRecord {
        try await changes.run {
            guard let target = try await self.store.routeVersion(number) else {
                throw RouteTablesError.unknownVersion(number)
            }
            let published = try await self.published()
            guard target.digest != published.digest else { throw RouteTablesError.alreadyInForce(number) }
            let table = try self.table(of: target.files)
            return try await self.goLive(
                RoutePublication(
                    files: target.files, digest: target.digest, source: "rollback", actor: actor, restores: number,
                    expected: published.version, summary: "rolled back to version \(number)",
                    diff: RouteDiff.unified(from: published.files, to: target.files)),
                table: table, now: now)
        }
    }

    /// Loads a change to the routes directory: a valid one becomes a new version; an invalid one is logged
    /// with its problems (once) and the version in force stays. Returns the new version, if any.
    @discardableResult
    func reloadFiles(now: Date = Date()) async throws -> RouteVersionRecord? {
        try await changes.run {
            let files: [RouteFile]
            do throws(ConfigErrors) {
                files = try RoutesLoader.files(directory: self.directory)
            } catch {
                let digest = "unreadable:" + error.description
                if self.lastSeenDigest.withLock({ $0 }) != digest {
                    self.lastSeenDigest.withLock { $0 = digest }
                    self.logRejected(error.problems)
                }
                return nil
            }
            let digest = Self.digest(of: files)
            guard self.lastSeenDigest.withLock({ $0 }) != digest else { return nil }
            self.lastSeenDigest.withLock { $0 = digest }
            let published = try await self.published()
            guard digest != published.digest else {
                try RoutesSyncMark.write(digest, directory: self.directory)
                return nil
            }
            let table: RoutingTable
            do throws(ConfigErrors) {
                table = try RoutesLoader.parse(files, directory: self.directory)
            } catch {
                self.logRejected(error.problems, inForce: published.version)
                return nil
            }
            let version = try await self.goLive(
                RoutePublication(
                    files: files, digest: digest, source: "file", actor: "file:\(self.directory)",
                    expected: published.version, summary: "loaded from \(self.directory)",
                    diff: RouteDiff.unified(from: published.files, to: files)),
                table: table, now: now, writeFiles: false)
            return version
        }
    }

    private func logRejected(_ problems: [ConfigProblem], inForce version: Int? = nil) {
        logger.error(
            "routing table change refused; the version in force stays",
            metadata: [
                "routes": "\(directory)", "version": "\(version.map(String.init) ?? "unchanged")",
                "problems": "\(problems.map(\.description).joined(separator: "; "))",
            ])
    }

    /// The table of a version's files; 422 with every problem when they are not valid.
    func table(of files: [RouteFile]) throws -> RoutingTable {
        do throws(ConfigErrors) {
            return try RoutesLoader.parse(files, directory: directory)
        } catch {
            throw RouteTablesError.draftHasProblems(error.problems)
        }
    }

    /// Writes a version into the routes directory and marks the directory as synced to it. A failure is
    /// logged: the directory still matches its old mark, so the next start writes the version.
    private func writeIntoDirectory(_ version: RouteVersionRecord) {
        do {
            try RoutesWriter.write(version.files, to: directory)
            lastSeenDigest.withLock { $0 = version.digest }
            try RoutesSyncMark.write(version.digest, directory: directory)
        } catch {
            logger.error(
                "routing table published but not written into the routes directory; it is written at the next start",
                metadata: ["version": "\(version.version)", "routes": "\(directory)", "error": "\(error)"])
        }
    }

    /// Records the version, writes it into the routes directory and puts it in force.
    private func goLive(
        _ publication: RoutePublication, table: RoutingTable, now: Date, writeFiles: Bool = true
    ) async throws -> RouteVersionRecord {
        let version: RouteVersionRecord
        do {
            version = try await store.publishRoutes(publication, now: now)
        } catch let conflict as StoreError {
            guard case .routeVersionConflict = conflict else { throw conflict }
            throw RouteTablesError.conflict("another version was published meanwhile: \(conflict)")
        }
        try await dispatcher.replaceTable(table, now: now)
        inForce.withLock { $0 = version.version }
        if writeFiles {
            writeIntoDirectory(version)
        } else {
            try RoutesSyncMark.write(publication.digest, directory: directory)
        }
        logger.info(
            "routing table published",
            metadata: [
                "version": "\(version.version)", "source": "\(publication.source)", "actor": "\(publication.actor)",
                "routes": "\(table.routes.map(\.name).joined(separator: ","))",
            ])
        return version
    }
}
