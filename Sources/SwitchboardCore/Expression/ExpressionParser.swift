/// Recursive-descent parser from tokens to an ``ExpressionNode`` tree.
///
/// Grammar, lowest precedence first:
/// ```
/// or         = and ("or" and)*
/// and        = not ("and" not)*
/// not        = "not" not | comparison
/// comparison = unary (op unary)?        ; op: == != < <= > >= in "not in" contains matches
/// unary      = "-" unary | primary
/// primary    = string | number | true | false | name | "(" or ")" | "[" (or ("," or)* ","?)? "]"
/// ```
struct ExpressionParser {
    private var lexer: ExpressionLexer
    private var current: ExpressionToken
    private var previous: ExpressionToken?
    /// Every dotted name read so far.
    private(set) var names: Set<String> = []
    /// Current nesting of parentheses, brackets, `not` and unary minus; bounded so that
    /// hostile input cannot exhaust the stack while parsing or evaluating.
    private var depth = 0
    private static let maximumDepth = 100
    /// `and` and `or` so far: each nests the tree one level deeper (`a and b and c` is `(a and b) and
    /// c`), so they are bounded too.
    private var connectives = 0
    static let maximumConnectives = 1_000

    init(_ source: String) throws(ExpressionError) {
        lexer = ExpressionLexer(source)
        current = try lexer.next()
    }

    /// Parses the whole source; anything left over is an error.
    mutating func parse() throws(ExpressionError) -> ExpressionNode {
        let node = try parseOr()
        guard current.kind == .endOfExpression else {
            if current.is(.rightParen) {
                throw error(at: current, "unexpected \")\" without a matching \"(\"")
            }
            if current.is(.minus), let previous, case .name(let name) = previous.kind,
                previous.line == current.line, previous.column + name.count == current.column
            {
                throw error(at: current, "unexpected \"-\" after name \"\(name)\"; names cannot contain \"-\", use \"_\"")
            }
            throw error(at: current, "expected an operator or end of expression but found \(found(current))")
        }
        return node
    }

    // MARK: - Levels

    private mutating func parseOr() throws(ExpressionError) -> ExpressionNode {
        var left = try parseAnd()
        while current.is(.or) {
            try connect()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> ExpressionNode {
        var left = try parseNot()
        while current.is(.and) {
            try connect()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> ExpressionNode {
        guard current.is(.not) else { return try parseComparison() }
        try enter()
        defer { depth -= 1 }
        try advance()
        return .not(try parseNot())
    }

    private mutating func parseComparison() throws(ExpressionError) -> ExpressionNode {
        let left = try parseUnary()
        guard let comparison = try parseComparisonOperator() else { return left }
        let rightToken = current
        let right = try parseUnary()
        let node = try makeComparison(left, comparison, right, rightToken: rightToken)
        if let chained = try chainedOperator() {
            throw error(
                at: current,
                "comparison operators cannot be chained: found \"\(chained)\" after a complete comparison; "
                    + "use \"and\" or parentheses")
        }
        return node
    }

    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        guard current.is(.minus) else { return try parsePrimary() }
        try enter()
        defer { depth -= 1 }
        try advance()
        let operand = try parseUnary()
        if case .constant(.number(let number)) = operand {
            return .constant(.number(-number))
        }
        return .negate(operand)
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .string(let text):
            try advance()
            return .constant(.string(text))
        case .number(let number):
            try advance()
            return .constant(.number(number))
        case .keyword(.true):
            try advance()
            return .constant(.bool(true))
        case .keyword(.false):
            try advance()
            return .constant(.bool(false))
        case .name(let name):
            try advance()
            names.insert(name)
            return .name(ExpressionName(name))
        case .symbol(.leftParen):
            try enter()
            defer { depth -= 1 }
            try advance()
            let inner = try parseOr()
            guard current.is(.rightParen) else {
                throw error(
                    at: current,
                    "expected \")\" to close \"(\" at \(token.line):\(token.column) but found \(found(current))")
            }
            try advance()
            return inner
        case .symbol(.leftBracket):
            return try parseList()
        default:
            let after = previous.map { " after \($0.display)" } ?? ""
            throw error(at: token, "expected a value\(after) but found \(found(token))")
        }
    }

    private mutating func parseList() throws(ExpressionError) -> ExpressionNode {
        let open = current
        try enter()
        defer { depth -= 1 }
        try advance()
        var elements: [ExpressionNode] = []
        while !current.is(.rightBracket) {
            elements.append(try parseOr())
            if current.is(.comma) {
                try advance()
            } else if !current.is(.rightBracket) {
                throw error(
                    at: current,
                    "expected \",\" or \"]\" to continue the list opened at \(open.line):\(open.column) "
                        + "but found \(found(current))")
            }
        }
        try advance()
        var constants: [Value] = []
        for element in elements {
            guard case .constant(let value) = element else { return .list(elements) }
            constants.append(value)
        }
        return .constant(.list(constants))
    }

    // MARK: - Comparisons

    /// Consumes a comparison operator if one is next (`not` must be followed by `in`).
    private mutating func parseComparisonOperator() throws(ExpressionError) -> ComparisonOperator? {
        let comparison: ComparisonOperator
        switch current.kind {
        case .symbol(.equal): comparison = .equal
        case .symbol(.notEqual): comparison = .notEqual
        case .symbol(.less): comparison = .less
        case .symbol(.lessOrEqual): comparison = .lessOrEqual
        case .symbol(.greater): comparison = .greater
        case .symbol(.greaterOrEqual): comparison = .greaterOrEqual
        case .keyword(.in): comparison = .in
        case .keyword(.contains): comparison = .contains
        case .keyword(.matches): comparison = .matches
        case .keyword(.not):
            try advance()
            guard current.is(.in) else {
                var message = "expected \"in\" after \"not\" but found \(found(current))"
                if current.is(.contains) || current.is(.matches) {
                    message += "; write \"not (a \(current.display.dropFirst().dropLast()) b)\" instead"
                }
                throw error(at: current, message)
            }
            comparison = .notIn
        default:
            return nil
        }
        try advance()
        return comparison
    }

    /// The comparison operator at `current`, if any, without consuming it.
    private func chainedOperator() throws(ExpressionError) -> String? {
        switch current.kind {
        case .symbol(.equal), .symbol(.notEqual), .symbol(.less), .symbol(.lessOrEqual),
            .symbol(.greater), .symbol(.greaterOrEqual),
            .keyword(.in), .keyword(.contains), .keyword(.matches):
            return String(current.display.dropFirst().dropLast())
        case .keyword(.not):
            var lookahead = lexer
            return try lookahead.next().is(.in) ? "not in" : nil
        default:
            return nil
        }
    }

    private func makeComparison(
        _ left: ExpressionNode, _ comparison: ComparisonOperator, _ right: ExpressionNode,
        rightToken: ExpressionToken
    ) throws(ExpressionError) -> ExpressionNode {
        guard comparison == .matches else { return .compare(left, comparison, right) }
        guard case .constant(let pattern) = right else {
            throw error(
                at: rightToken,
                "expected a constant regular expression string after \"matches\" but found \(rightToken.display) (a pattern read from the conversation could be made to run for ever)")
        }
        guard case .string(let text) = pattern else {
            throw error(
                at: rightToken,
                "expected a regular expression string after \"matches\" but found \(Self.describe(pattern))")
        }
        do throws(RegexCompileError) {
            return .matches(left, try CompiledRegex(text))
        } catch {
            throw self.error(at: rightToken, "invalid regular expression \"\(text)\": \(error.reason)")
        }
    }

    // MARK: - Helpers

    /// Consumes an `and` or `or`, counting it.
    private mutating func connect() throws(ExpressionError) {
        connectives += 1
        guard connectives <= Self.maximumConnectives else {
            throw error(
                at: current,
                "expression has too many \"and\" and \"or\" (more than \(Self.maximumConnectives)); split it into facts")
        }
        try advance()
    }

    /// Counts one more level of nesting; the caller undoes it with `defer { depth -= 1 }`.
    private mutating func enter() throws(ExpressionError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw error(at: current, "expression is nested too deeply (more than \(Self.maximumDepth) levels)")
        }
    }

    private mutating func advance() throws(ExpressionError) {
        previous = current
        current = try lexer.next()
    }

    /// The token as named in "but found …", with a hint for capitalised keywords.
    private func found(_ token: ExpressionToken) -> String {
        if case .name(let name) = token.kind, name != name.lowercased(),
            let keyword = ExpressionToken.Keyword(rawValue: name.lowercased())
        {
            return "\(token.display) (keywords are lowercase: \"\(keyword.rawValue)\")"
        }
        return token.display
    }

    private static func describe(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return value.description
        case .number: return "number \(value)"
        case .string: return "string \(value)"
        case .list: return "list \(value)"
        }
    }

    private func error(at token: ExpressionToken, _ message: String) -> ExpressionError {
        ExpressionError(line: token.line, column: token.column, message: message)
    }
}
