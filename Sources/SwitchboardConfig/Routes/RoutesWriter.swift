import Foundation
import SwitchboardCore

/// Writes a version of the routing table into the routes directory, so that the directory an admin
/// edits by hand always holds the table in force.
public enum RoutesWriter {
    /// Makes `directory` hold exactly `files`: each file is written to a temporary file and renamed over
    /// the old one (a reader sees the old or the new file, never half of one), then table files that are
    /// not part of the version are removed. Files that already hold the right text are left untouched.
    public static func write(_ files: [RouteFile], to directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files {
            let path = RoutesLoader.path(of: file.name, in: directory)
            if manager.contents(atPath: path) == Data(file.yaml.utf8) { continue }
            let temporary = RoutesLoader.path(of: ".\(file.name).\(UUID().uuidString).tmp", in: directory)
            try Data(file.yaml.utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 {
                let code = errno
                try? manager.removeItem(atPath: temporary)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, "errno": code])
            }
        }
        let keep = Set(files.map(\.name))
        for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        where !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !keep.contains(name) {
            try manager.removeItem(atPath: RoutesLoader.path(of: name, in: directory))
        }
    }
}

/// Which table a routes directory held when the server last wrote or loaded it: the digest of its files,
/// kept in the hidden file `.switchboard-synced` inside the directory (the loader skips hidden files).
///
/// It lives with the directory, not in the store, because each instance has a directory of its own: a
/// directory still at its mark has not been edited since, so a later version published elsewhere is
/// written into it; a directory that moved away from its mark was edited by hand.
public enum RoutesSyncMark {
    static let name = ".switchboard-synced"

    public static func read(directory: String) -> String? {
        guard let data = FileManager.default.contents(atPath: RoutesLoader.path(of: name, in: directory)) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func write(_ digest: String, directory: String) throws {
        try Data((digest + "\n").utf8).write(
            to: URL(fileURLWithPath: RoutesLoader.path(of: name, in: directory)), options: .atomic)
    }
}
