import Foundation

/// A value produced or consumed by an ``Expression``: the facts a routing table reads
/// (`text`, `channel`, `customer.tier`, …) and the results of evaluating `when:` conditions.
public enum Value: Sendable, Hashable {
    /// The absence of a value; unknown names read as `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; integers and decimals share one representation, so `300 == 300.0`.
    case number(Double)
    /// A string of text.
    case string(String)
    /// An ordered list of values.
    case list([Value])
}

extension Value: CustomStringConvertible {
    /// The value as it would be written in an expression, for explanations:
    /// `"refund"`, `300`, `12.5`, `true`, `null`, `["chat", "email"]`.
    public var description: String {
        switch self {
        case .null:
            return "null"
        case .bool(let flag):
            return flag ? "true" : "false"
        case .number(let number):
            return Value.format(number)
        case .string(let text):
            return Value.quote(text)
        case .list(let elements):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// Integral numbers print without a fraction (`300`, not `300.0`).
    static func format(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }

    /// Double-quotes `text`, escaping what the expression lexer would unescape.
    static func quote(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        result += "\""
        return result
    }
}

extension Value {
    /// Whether this is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension Value: ExpressibleByStringLiteral {
    /// `"refund"` as a ``Value/string(_:)``.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension Value: ExpressibleByIntegerLiteral {
    /// `300` as a ``Value/number(_:)``.
    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }
}

extension Value: ExpressibleByFloatLiteral {
    /// `12.5` as a ``Value/number(_:)``.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }
}

extension Value: ExpressibleByBooleanLiteral {
    /// `true` as a ``Value/bool(_:)``.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension Value: ExpressibleByArrayLiteral {
    /// `["chat", "email"]` as a ``Value/list(_:)``.
    public init(arrayLiteral elements: Value...) {
        self = .list(elements)
    }
}
