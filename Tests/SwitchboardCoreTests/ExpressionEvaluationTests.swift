import Testing
@testable import SwitchboardCore

/// The facts every evaluation test reads; `missing` and friends are deliberately absent.
private let expressionTestScope: [String: Value] = [
    "text": "I was charged twice, please REFUND",
    "intent": "refund",
    "channel": "chat",
    "source": "webhook",
    "customer.tier": "gold",
    "customer.name": "Ada",
    "attributes.language": "en",
    "amount": 300,
    "count": 2,
    "vip": true,
    "tags": ["urgent", "billing"],
    "pattern": "(?i)^i was",
    "badPattern": "(",
]

/// Parses `source` and reports whether it holds in ``expressionTestScope``.
private func holds(_ source: String) throws -> Bool {
    try Expression.parse(source).holds(in: expressionTestScope)
}

/// Parses `source` and evaluates it in ``expressionTestScope``.
private func evaluate(_ source: String) throws -> Value {
    try Expression.parse(source).evaluate(in: expressionTestScope)
}

@Suite("Expression operators")
struct ExpressionOperatorTests {
    @Test("==", arguments: [
        ("intent == \"refund\"", true),
        ("intent == \"sales\"", false),
        ("amount == 300", true),
        ("amount == 300.0", true),
        ("amount == 301", false),
        ("vip == true", true),
        ("vip == false", false),
        ("tags == [\"urgent\", \"billing\"]", true),
        ("tags == [\"billing\", \"urgent\"]", false),
        ("[1, 2] == [1.0, 2]", true),
        ("amount == \"300\"", false),
        ("customer.tier == \"Gold\"", false),
    ])
    func equal(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("!=", arguments: [
        ("intent != \"sales\"", true),
        ("intent != \"refund\"", false),
        ("amount != 300.0", false),
        ("amount != \"300\"", true),
        ("tags != [\"urgent\"]", true),
    ])
    func notEqual(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("< <= > >=", arguments: [
        ("count < 10", true),
        ("2 < 10", true),
        ("\"2\" < \"10\"", false),
        ("\"apple\" < \"banana\"", true),
        ("amount < 100", false),
        ("amount < \"400\"", false),
        ("vip < true", false),
        ("amount <= 300", true),
        ("amount <= 299.5", false),
        ("amount > 100", true),
        ("amount > 300", false),
        ("10 > 2", true),
        ("12.5 > 12", true),
        ("amount >= 300", true),
        ("count >= 3", false),
        ("\"b\" >= \"a\"", true),
    ])
    func ordering(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("in and not in", arguments: [
        ("channel in [\"chat\", \"email\"]", true),
        ("channel in [\"sms\", \"voice\"]", false),
        ("channel in []", false),
        ("300 in [1, 300.0]", true),
        ("\"2\" in [2]", false),
        ("\"charged\" in text", true),
        ("\"refund\" in text", false),
        ("\"\" in text", true),
        ("2 in \"123\"", false),
        ("channel in 3", false),
        ("channel not in [\"sms\", \"voice\"]", true),
        ("channel not in [\"chat\", \"email\"]", false),
        ("\"x\" not in \"abc\"", true),
        ("\"b\" not in \"abc\"", false),
        ("channel not in 3", false),
    ])
    func membership(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("contains", arguments: [
        ("tags contains \"urgent\"", true),
        ("tags contains \"sales\"", false),
        ("text contains \"twice\"", true),
        ("text contains \"thrice\"", false),
        ("[1, 2, 3] contains 2.0", true),
        ("amount contains 3", false),
        ("text contains 3", false),
    ])
    func contains(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("matches", arguments: [
        ("text matches \"(?i)refund|charged twice|money back\"", true),
        ("text matches \"refund\"", false),
        ("text matches \"(?i)please refund$\"", true),
        ("text matches \"please refund$\"", false),
        ("intent matches '^ref'", true),
        ("intent matches '^fund'", false),
        ("\"order 1234\" matches \"\\d{4}\"", true),
        ("\"order 12\" matches \"\\d{4}\"", false),
        ("\"order 1234\" matches \"\\\\d{4}\"", true),
        ("amount matches \"300\"", false),
        ("text matches pattern", true),
        ("intent matches pattern", false),
        ("text matches badPattern", false),
        ("text matches amount", false),
        ("\"café ☕️ refund\" matches \"☕️ ref\"", true),
    ])
    func matches(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("and, or, not and truthiness", arguments: [
        ("customer.tier == \"gold\" and amount > 100", true),
        ("customer.tier == \"gold\" and amount > 1000", false),
        ("intent == \"sales\" or amount > 100", true),
        ("intent == \"sales\" or amount > 1000", false),
        ("not false", true),
        ("not true", false),
        ("not not true", true),
        ("not (attributes.language == \"fr\")", true),
        ("not (attributes.language == \"en\")", false),
        ("vip", true),
        ("customer.name", false),
        ("not customer.name", true),
        ("customer.name and true", false),
        ("\"yes\" or false", false),
        ("1 or true", true),
    ])
    func logic(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("unary minus", arguments: [
        ("-3 < 0", true),
        ("-amount == -300", true),
        ("- -3 == 3", true),
        ("-(1) == -1", true),
        ("-intent == -1", false),
    ])
    func unaryMinus(source: String, expected: Bool) throws {
        #expect(try holds(source) == expected)
    }

    @Test("logical operators yield booleans")
    func logicalResults() throws {
        #expect(try evaluate("1 and 2") == .bool(false))
        #expect(try evaluate("not 1") == .bool(true))
        #expect(try evaluate("amount > 1 or missing") == .bool(true))
        #expect(try evaluate("amount") == .number(300))
        #expect(try evaluate("-intent") == .null)
    }
}

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
        "text matches missing",
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
        let computed = try Expression.parse("text matches pattern")
        guard case .matchesComputed = computed.root else {
            Issue.record("expected a computed regex, got \(computed.root)")
            return
        }
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
