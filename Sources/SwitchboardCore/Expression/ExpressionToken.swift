/// One lexical unit of an expression, with the position where it starts.
struct ExpressionToken: Sendable {
    /// What kind of token this is.
    enum Kind: Sendable, Equatable {
        case string(String)
        case number(Double)
        /// A (possibly dotted) name such as `customer.tier`.
        case name(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case endOfExpression
    }

    /// The reserved words; case-sensitive lowercase.
    enum Keyword: String, Sendable, CaseIterable {
        case `true`, `false`, and, or, not, `in`, contains, matches
    }

    /// Operators and punctuation.
    enum Symbol: String, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case minus = "-"
        case leftParen = "("
        case rightParen = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case comma = ","
    }

    let kind: Kind
    let line: Int
    let column: Int

    /// How error messages name this token: `"=="`, `name "customer.tier"`, `end of expression`.
    var display: String {
        switch kind {
        case .string(let text): return "string \(Value.quote(text))"
        case .number(let number): return "number \(Value.format(number))"
        case .name(let name): return "name \"\(name)\""
        case .keyword(let keyword): return "\"\(keyword.rawValue)\""
        case .symbol(let symbol): return "\"\(symbol.rawValue)\""
        case .endOfExpression: return "end of expression"
        }
    }

    /// Whether this token is `keyword`.
    func `is`(_ keyword: Keyword) -> Bool {
        kind == .keyword(keyword)
    }

    /// Whether this token is `symbol`.
    func `is`(_ symbol: Symbol) -> Bool {
        kind == .symbol(symbol)
    }
}
