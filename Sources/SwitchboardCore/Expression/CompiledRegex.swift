import Foundation

/// A regular expression compiled once, when its expression is parsed.
///
/// `@unchecked Sendable`: `NSRegularExpression` is immutable after initialisation and documented
/// as safe to use from several threads at once; this wrapper only stores it in `let`s.
final class CompiledRegex: @unchecked Sendable {
    /// The pattern as written.
    let pattern: String
    private let regex: NSRegularExpression

    /// Compiles `pattern` with NSRegularExpression syntax; on failure throws a readable reason.
    init(_ pattern: String) throws(RegexCompileError) {
        do {
            self.regex = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw RegexCompileError(reason: CompiledRegex.explainFailure(of: pattern))
        }
        self.pattern = pattern
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        let range = NSRange(location: 0, length: text.utf16.count)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    /// NSRegularExpression's own errors say only "The value is invalid."; the standard
    /// library's parser usually says what is wrong (`expected ')'`), so ask it for the reason.
    private static func explainFailure(of pattern: String) -> String {
        do {
            _ = try Regex(pattern)
        } catch {
            return String(describing: error)
        }
        return "the pattern is not supported"
    }
}

/// Why a pattern failed to compile.
struct RegexCompileError: Error {
    let reason: String
}
