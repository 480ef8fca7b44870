import Testing
@testable import SwitchboardCore

/// A malformed expression and the exact error it must produce.
struct MalformedExpression: Sendable, CustomTestStringConvertible {
    let source: String
    let line: Int
    let column: Int
    let message: String

    init(_ source: String, _ line: Int, _ column: Int, _ message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    var testDescription: String { source.debugDescription }
}

@Suite("Expression parse errors")
struct ExpressionParseErrorTests {
    @Test(arguments: [
        // Unterminated strings point at the opening quote.
        MalformedExpression(#"text == "abc"#, 1, 9, #"unterminated string: missing closing " before end of expression"#),
        MalformedExpression("channel == 'chat\n", 1, 12, "unterminated string: missing closing ' before end of line"),
        MalformedExpression(#"text == "abc\""#, 1, 9, #"unterminated string: missing closing " before end of expression"#),
        // Missing operands point at what was found instead.
        MalformedExpression("intent ==", 1, 10, #"expected a value after "==" but found end of expression"#),
        MalformedExpression(#"intent == "refund" and"#, 1, 23, #"expected a value after "and" but found end of expression"#),
        MalformedExpression(#"== "refund""#, 1, 1, #"expected a value but found "==""#),
        MalformedExpression("", 1, 1, "expected a value but found end of expression"),
        MalformedExpression("   ", 1, 4, "expected a value but found end of expression"),
        MalformedExpression("not", 1, 4, #"expected a value after "not" but found end of expression"#),
        MalformedExpression("amount > or true", 1, 10, #"expected a value after ">" but found "or""#),
        // Unbalanced parentheses and brackets.
        MalformedExpression(#"(intent == "refund""#, 1, 20, #"expected ")" to close "(" at 1:1 but found end of expression"#),
        MalformedExpression(#"intent == "refund")"#, 1, 19, #"unexpected ")" without a matching "(""#),
        MalformedExpression("(\n  intent == \"refund\"\n", 3, 1, #"expected ")" to close "(" at 1:1 but found end of expression"#),
        MalformedExpression("[1, 2", 1, 6, #"expected "," or "]" to continue the list opened at 1:1 but found end of expression"#),
        MalformedExpression("[1,, 2]", 1, 4, #"expected a value after "," but found ",""#),
        // Regular expressions given as literals are checked when parsed.
        MalformedExpression(#"text matches "(""#, 1, 14, #"invalid regular expression "(": expected ')'"#),
        MalformedExpression(#"text matches "a)""#, 1, 14, #"invalid regular expression "a)": closing ')' does not balance any groups openings"#),
        MalformedExpression("text matches 3", 1, 14, #"expected a regular expression string after "matches" but found number 3"#),
        // A pattern read from the conversation could be chosen to run for ever: only constants.
        MalformedExpression("text matches pattern", 1, 14,
                            #"expected a constant regular expression string after "matches" but found name "pattern" (a pattern read from the conversation could be made to run for ever)"#),
        MalformedExpression("text matches customer.tier", 1, 14,
                            #"expected a constant regular expression string after "matches" but found name "customer.tier" (a pattern read from the conversation could be made to run for ever)"#),
        // Characters and operators the language does not have.
        MalformedExpression("amount > 100 @", 1, 14, #"unexpected character "@""#),
        MalformedExpression(#"text =~ "refund""#, 1, 6, #"unknown operator "=~"; use "matches""#),
        MalformedExpression(#"intent = "refund""#, 1, 8, #"unknown operator "="; did you mean "=="?"#),
        MalformedExpression("vip && true", 1, 5, #"unknown operator "&&"; use "and""#),
        MalformedExpression("customer.", 1, 10, #"expected a name after "customer." but found end of expression"#),
        MalformedExpression(#"customer-tier == "gold""#, 1, 9, #"unexpected "-" after name "customer"; names cannot contain "-", use "_""#),
        MalformedExpression(String(repeating: "(", count: 101) + "true", 1, 101, "expression is nested too deeply (more than 100 levels)"),
        MalformedExpression(String(repeating: "true and ", count: 1_001) + "true", 1, 9_006,
                            #"expression has too many "and" and "or" (more than 1000); split it into facts"#),
        MalformedExpression("12abc == 1", 1, 1, #"invalid number "12abc""#),
        MalformedExpression("1. == 1", 1, 3, #"expected a digit after "." in number "1.""#),
        // Trailing tokens.
        MalformedExpression(#"intent == "refund" "sales""#, 1, 20, #"expected an operator or end of expression but found string "sales""#),
        MalformedExpression("intent == \"refund\" AND amount > 1", 1, 20,
                            #"expected an operator or end of expression but found name "AND" (keywords are lowercase: "and")"#),
        MalformedExpression("1 < amount < 500", 1, 12,
                            #"comparison operators cannot be chained: found "<" after a complete comparison; use "and" or parentheses"#),
        MalformedExpression("intent == \"refund\" not in [\"x\"]", 1, 20,
                            #"comparison operators cannot be chained: found "not in" after a complete comparison; use "and" or parentheses"#),
        // `not in` misuse.
        MalformedExpression(#"channel not "chat""#, 1, 13, #"expected "in" after "not" but found string "chat""#),
        MalformedExpression(#"not in ["chat"]"#, 1, 5, #"expected a value after "not" but found "in""#),
        MalformedExpression(#"tags not contains "x""#, 1, 10, #"expected "in" after "not" but found "contains"; write "not (a contains b)" instead"#),
        // Newlines shift the line and reset the column.
        MalformedExpression("intent == \"refund\" and\n  amount >", 2, 11, #"expected a value after ">" but found end of expression"#),
        MalformedExpression("intent == \"refund\"\nand amount > 100 #", 2, 18, ##"unexpected character "#""##),
        MalformedExpression("vip ==\r\n  ", 2, 3, #"expected a value after "==" but found end of expression"#),
    ])
    func malformed(_ input: MalformedExpression) {
        let error = #expect(throws: ExpressionError.self) {
            try Expression.parse(input.source)
        }
        #expect(error == ExpressionError(line: input.line, column: input.column, message: input.message))
    }

    @Test("nesting up to the limit parses")
    func deepButAllowed() throws {
        let source = String(repeating: "(", count: 100) + "true" + String(repeating: ")", count: 100)
        #expect(try Expression.parse(source).holds(in: [String: Value]()))
        #expect(try Expression.parse(String(repeating: "not ", count: 100) + "true").holds(in: [String: Value]()))
    }

    @Test("description is line:column: message")
    func description() {
        let error = ExpressionError(line: 1, column: 15, message: "expected a value")
        #expect(error.description == "1:15: expected a value")
        #expect("\(error)" == "1:15: expected a value")
    }
}
