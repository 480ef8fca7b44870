import Foundation

/// A named value derived from a conversation, readable by later facts and by routes.
public struct Fact: Sendable {
    /// How a fact gets its value.
    public enum Rule: Sendable {
        /// The first capture group of a pattern in the customer's latest message.
        case extract(FactPattern, as: FactType)
        /// The value of the first case whose condition holds.
        case cases([FactCase])
    }

    public var name: String
    public var rule: Rule

    public init(name: String, rule: Rule) {
        self.name = name
        self.rule = rule
    }

    /// The fact's value for a conversation, given the facts computed before it.
    public func value(in scope: RoutingScope) -> Value {
        switch rule {
        case .extract(let pattern, let type):
            guard let captured = pattern.firstCapture(in: scope.message.text.utf8Prefix(scope.matchLimit)) else {
                return .null
            }
            switch type {
            case .string:
                return .string(captured)
            case .number:
                let digits = captured.filter { $0 != "," }
                return Double(digits).map(Value.number) ?? .null
            }
        case .cases(let cases):
            for factCase in cases where factCase.when.holds(in: scope) {
                return factCase.value
            }
            return .null
        }
    }
}

/// The type an extracted fact is converted to.
public enum FactType: String, Sendable, CaseIterable {
    case number
    case string
}

/// One `{when, value}` case of a fact.
public struct FactCase: Sendable {
    public var when: Expression
    public var value: Value

    public init(when: Expression, value: Value) {
        self.when = when
        self.value = value
    }
}

/// A compiled extraction pattern.
public struct FactPattern: Sendable {
    /// Immutable after init, so sharing across tasks is safe.
    private final class Box: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    private let box: Box
    public let source: String

    /// Compiles the pattern; throws with the regex engine's explanation when it is invalid.
    public init(_ source: String) throws {
        self.source = source
        self.box = Box(try NSRegularExpression(pattern: source))
    }

    /// How many capture groups the pattern has.
    public var captureGroups: Int { box.regex.numberOfCaptureGroups }

    /// The first capture group of the first match (the whole match when the pattern has no group).
    public func firstCapture(in text: String) -> String? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = box.regex.firstMatch(in: text, range: range) else { return nil }
        let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
        guard group.location != NSNotFound, let swiftRange = Range(group, in: text) else { return nil }
        return String(text[swiftRange])
    }
}
