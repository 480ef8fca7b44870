import Foundation
import Yams

/// Reads one YAML file and records every problem at the position of the node it concerns,
/// so that a loader can go on and report all of a file's problems at once.
///
/// The typed accessors return nil after recording a problem; callers skip what is missing and carry on.
final class YAMLReader {
    /// The file as named in problems.
    let file: String
    /// The file's lines, for positions inside scalars.
    let lines: [Substring]
    private let source: String
    /// Everything found wrong so far, in the order found.
    private(set) var problems: [ConfigProblem] = []

    /// The problems in the order of the file: by line, then column.
    var problemsInFileOrder: [ConfigProblem] { problems.sortedByPosition() }
    /// Prefixes such as `route "refunds"`, joined with `: ` in front of each message.
    private var contexts: [String] = []

    init(file: String, source: String) {
        self.file = file
        self.source = source
        self.lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    // MARK: - The document

    /// The document's root node; nil for an empty document or a syntax error (then recorded).
    func root() -> YAMLNode? {
        do {
            return try Yams.compose(yaml: source).map(YAMLNode.init)
        } catch let error as YamlError {
            problems.append(Self.problem(from: error, file: file))
            return nil
        } catch {
            problems.append(ConfigProblem(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)"))
            return nil
        }
    }

    /// A YAML syntax error, located where the parser stopped.
    static func problem(from error: YamlError, file: String) -> ConfigProblem {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> ConfigProblem {
            var message = "YAML syntax: \(problem)"
            if let context, context.mark.line != mark.line || context.mark.column != mark.column {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return ConfigProblem(file: file, line: mark.line, column: mark.column, message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return located(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key \(keys) appears" : "keys \(keys) appear"
            return ConfigProblem(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "\(noun) more than once in the same mapping")
        case .reader(let problem, _, _, _):
            return ConfigProblem(file: file, line: 1, column: 1, message: "cannot read the file as UTF-8 text: \(problem)")
        default:
            return ConfigProblem(file: file, line: 1, column: 1, message: "YAML: \(error)")
        }
    }

    // MARK: - Recording problems

    /// Records `message` (prefixed with the current contexts) at a file position.
    func report(_ message: String, line: Int, column: Int) {
        let prefix = contexts.map { $0 + ": " }.joined()
        problems.append(ConfigProblem(file: file, line: line, column: column, message: prefix + message))
    }

    /// Records `message` at the node's position.
    func report(_ message: String, at node: YAMLNode) {
        report(message, line: node.line, column: node.column)
    }

    /// Runs `body` with `context` prefixed to every message it records, e.g. `route "refunds"`.
    func within<T>(_ context: String, _ body: () throws -> T) rethrows -> T {
        contexts.append(context)
        defer { contexts.removeLast() }
        return try body()
    }

    // MARK: - Typed accessors

    /// The node as a mapping with text keys, each one of `allowed`; `null` reads as an empty mapping.
    ///
    /// An unknown key is recorded (`unknown key "prot" in server (expected host, port)`) and left out.
    /// - Parameters:
    ///   - what: how messages name the mapping, e.g. `server` or `route "refunds"`.
    ///   - naming: whether the unknown-key message names the mapping (`in server`); off inside a context
    ///     that already names it.
    ///   - refused: keys that are not allowed here for a reason worth saying, each with the message recorded
    ///     at the key instead of the unknown-key one (`authority` in a relax step: authority never relaxes).
    func mapping(
        _ node: YAMLNode, _ what: String, allowed: [String], naming: Bool = true, refused: [String: String] = [:]
    ) -> YAMLMapping? {
        if node.isNull { return YAMLMapping(node: node, entries: []) }
        guard let pairs = node.entries else {
            report("\(what) must be a mapping with \(Self.list(allowed, conjunction: "or")), found \(node.found)", at: node)
            return nil
        }
        var entries: [YAMLMapping.Entry] = []
        for (keyNode, value) in pairs {
            guard let key = keyNode.text, keyNode.scalar != nil, !keyNode.isNull else {
                report("keys must be plain names, found \(keyNode.found)", at: keyNode)
                continue
            }
            if let reason = refused[key] {
                report(reason, at: keyNode)
                continue
            }
            guard allowed.contains(key) else {
                let place = naming ? " in \(what)" : ""
                report("unknown key \"\(key)\"\(place) (expected \(allowed.joined(separator: ", ")))", at: keyNode)
                continue
            }
            entries.append(YAMLMapping.Entry(key: key, keyNode: keyNode, value: value))
        }
        return YAMLMapping(node: node, entries: entries)
    }

    /// The node as a mapping whose keys are names chosen by the admin (skills, channels, facts), in order.
    func dictionary(_ node: YAMLNode, _ what: String) -> [YAMLMapping.Entry]? {
        if node.isNull { return [] }
        guard let pairs = node.entries else {
            report("\(what) must be a mapping (name: value), found \(node.found)", at: node)
            return nil
        }
        var entries: [YAMLMapping.Entry] = []
        for (keyNode, value) in pairs {
            guard let key = keyNode.text, keyNode.scalar != nil, !keyNode.isNull, !key.isEmpty else {
                report("names in \(what) must be text, found \(keyNode.found)", at: keyNode)
                continue
            }
            entries.append(YAMLMapping.Entry(key: key, keyNode: keyNode, value: value))
        }
        return entries
    }

    /// The value under `key`, or a recorded `<what> is missing <key>` at the mapping.
    func required(_ key: String, in mapping: YAMLMapping, _ what: String) -> YAMLNode? {
        if let value = mapping[key] { return value }
        report("\(what) is missing \(key)", at: mapping.node)
        return nil
    }

    /// The node as a list; `null` reads as an empty list.
    func list(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        if node.isNull { return [] }
        guard let items = node.items else {
            report("\(what) must be a list, found \(node.found)", at: node)
            return nil
        }
        return items
    }

    /// The node as text. Plain numbers and booleans count as text (`port: 8080` read as a string is `"8080"`).
    func string(_ node: YAMLNode, _ what: String, allowEmpty: Bool = false) -> String? {
        guard let text = node.text, !node.isNull else {
            report("\(what) must be text, found \(node.found)", at: node)
            return nil
        }
        if !allowEmpty, text.trimmingCharacters(in: .whitespaces).isEmpty {
            report("\(what) must not be empty", at: node)
            return nil
        }
        return text
    }

    /// The node as a whole number, optionally within `range`.
    func int(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard node.tagName == .int, let value = node.node.int else {
            report("\(what) must be \(Self.wholeNumber(range)), found \(node.found)", at: node)
            return nil
        }
        if let range, !range.contains(value) {
            report("\(what) must be \(Self.describe(range)), found \(value)", at: node)
            return nil
        }
        return value
    }

    /// The node as a number (whole or decimal).
    func double(_ node: YAMLNode, _ what: String) -> Double? {
        guard node.tagName == .int || node.tagName == .float, let value = node.node.float, value.isFinite else {
            report("\(what) must be a number, found \(node.found)", at: node)
            return nil
        }
        return value
    }

    /// The node as `true` or `false`.
    func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        guard node.tagName == .bool, let value = node.node.bool else {
            report("\(what) must be true or false, found \(node.found)", at: node)
            return nil
        }
        return value
    }

    /// The node as one of an enumeration's raw values, e.g. `status` → `online`, `away` or `offline`.
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, _ what: String, as type: Choice.Type = Choice.self
    ) -> Choice? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard node.scalar != nil, let text = node.text, let value = Choice(rawValue: text) else {
            report("\(what) must be \(Self.list(names, conjunction: "or")), found \(node.found)", at: node)
            return nil
        }
        return value
    }

    // MARK: - Wording

    /// `a, b and c`.
    static func list(_ words: [String], conjunction: String = "and") -> String {
        switch words.count {
        case 0: return ""
        case 1: return words[0]
        default: return words.dropLast().joined(separator: ", ") + " \(conjunction) " + words[words.count - 1]
        }
    }

    /// `a whole number from 1 to 5`, `a whole number of at least 1`, `a whole number`.
    static func wholeNumber(_ range: ClosedRange<Int>?) -> String {
        guard let range else { return "a whole number" }
        return "a whole number " + (range.upperBound == .max ? "of " : "from ") + describe(range)
    }

    /// `1 to 5`, `at least 0`.
    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == .max { return "at least \(range.lowerBound)" }
        return "\(range.lowerBound) to \(range.upperBound)"
    }
}
