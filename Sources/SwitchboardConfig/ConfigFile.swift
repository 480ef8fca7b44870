import Foundation

/// Reads the files the loaders are pointed at, turning a missing or unreadable file into a problem naming it.
enum ConfigFile {
    /// The text of the file at `path`.
    /// - Parameter what: how the message names the file, e.g. `config file`, `agents file`.
    static func read(_ path: String, what: String) -> Result<String, ConfigProblem> {
        func problem(_ message: String) -> Result<String, ConfigProblem> {
            .failure(ConfigProblem(file: path, line: 0, column: 0, message: message))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return problem("\(what) not found")
        }
        if isDirectory.boolValue {
            return problem("\(what) expected, but this is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return problem("\(what) cannot be read (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return problem("\(what) is not UTF-8 text")
        }
        return .success(text)
    }
}
