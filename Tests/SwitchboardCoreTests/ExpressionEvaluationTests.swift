import Testing
@testable import SwitchboardCore

/// The facts every evaluation test reads (here and in ExpressionSemanticsTests.swift); `missing` and friends are deliberately absent.
let expressionTestScope: [String: Value] = [
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
func holds(_ source: String) throws -> Bool {
    try Expression.parse(source).holds(in: expressionTestScope)
}

/// Parses `source` and evaluates it in ``expressionTestScope``.
func evaluate(_ source: String) throws -> Value {
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
