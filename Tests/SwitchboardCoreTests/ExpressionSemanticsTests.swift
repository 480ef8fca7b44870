import Testing
@testable import SwitchboardCore

// Precedence, null semantics and literals, in ``expressionTestScope`` (ExpressionEvaluationTests.swift).

@Suite("Expression precedence")
struct ExpressionPrecedenceTests {
    @Test(arguments: [
        ("true or true and false", true),
        ("false and true or true", true),
        ("(true or true) and false", false),
        ("true or false and false", true),
        ("not true or true", true),
        ("not (true or true)", false),
        ("not true and false", false),
        ("not (true and false)", true),
        ("not amount == 300", false),
        ("false or not false", true),
        ("((intent == \"refund\"))", true),
        ("(1 < 2) == true", true),
        ("intent == \"sales\" or customer.tier == \"gold\" and amount > 100", true),
        ("(intent == \"sales\" or customer.tier == \"gold\") and amount > 1000", false),
        ("not (channel in [\"sms\"]) and not missing", true),
    ])
    func precedence(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }
}

@Suite("Expression null semantics")
struct ExpressionNullTests {
    @Test("comparisons with an unknown name are false", arguments: [
        "missing == 1",
        "missing != 1",
        "missing == missing",
        "missing != missing",
        "missing < 1",
        "missing <= 1",
        "missing > 1",
        "missing >= 1",
        "missing in [1]",
        "missing not in [1]",
        "\"a\" in missing",
        "\"a\" not in missing",
        "missing contains \"a\"",
        "tags contains missing",
        "missing matches \".*\"",
        "[missing] == [1]",
        "missing",
        "missing and true",
        "customer.missing == \"gold\"",
    ])
    func unknownIsFalse(source: String) throws {
        #expect(try holds(source) == false)
    }

    @Test("negations of null comparisons hold", arguments: [
        "not (missing == 1)",
        "not (missing != 1)",
        "not missing",
        "missing or true",
    ])
    func negationHolds(source: String) throws {
        #expect(try holds(source))
    }

    @Test("an unknown name reads as null")
    func unknownReadsNull() throws {
        #expect(try evaluate("nothing.here") == .null)
        #expect(try evaluate("[missing, 1]") == [.null, 1])
    }
}

@Suite("Expression literals")
struct ExpressionLiteralTests {
    @Test("numbers", arguments: [
        ("300 == 300.0", true),
        ("1.50 == 1.5", true),
        ("2 < 10", true),
        ("10 < 2", false),
        ("0.1 < 0.2", true),
        ("007 == 7", true),
    ])
    func numbers(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("string escapes", arguments: [
        (#""say \"hi\"""#, #"say "hi""#),
        (#"'it\'s'"#, "it's"),
        (#""back\\slash""#, #"back\slash"#),
        (#""a\nb""#, "a\nb"),
        (#""a\tb""#, "a\tb"),
        (#"'double "inside" single'"#, #"double "inside" single"#),
        (#""single 'inside' double""#, "single 'inside' double"),
        (#""\d+\.""#, #"\d+\."#),
        (#""""#, ""),
        (#""ünïcødé ✓""#, "ünïcødé ✓"),
    ])
    func strings(source: String, expected: String) throws {
        #expect(try evaluate(source) == .string(expected))
    }

    @Test("lists", arguments: [
        ("[1, \"a\", true]", Value.list([1, "a", true])),
        ("[]", Value.list([])),
        ("[1, 2,]", Value.list([1, 2])),
        ("[[1], []]", Value.list([[1], []])),
        ("[channel, amount > 1, -2]", Value.list(["chat", true, -2])),
        ("true", Value.bool(true)),
        ("false", Value.bool(false)),
        ("12.5", Value.number(12.5)),
    ])
    func values(source: String, expected: Value) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test("literal lists are folded and literal regexes compiled when parsed")
    func parseTimeWork() throws {
        let list = try Expression.parse("[1, \"a\", [true]]")
        guard case .constant(.list) = list.root else {
            Issue.record("expected a folded constant, got \(list.root)")
            return
        }
        let regex = try Expression.parse("text matches \"(?i)refund\"")
        guard case .matches(_, let compiled) = regex.root else {
            Issue.record("expected a precompiled regex, got \(regex.root)")
            return
        }
        #expect(compiled.pattern == "(?i)refund")
    }

    @Test("one parsed expression evaluates concurrently")
    func concurrentEvaluation() async throws {
        let expression = try Expression.parse("text matches \"(?i)refund\" and amount >= 300")
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask { expression.holds(in: expressionTestScope) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }
}
