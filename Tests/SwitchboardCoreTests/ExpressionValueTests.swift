import Testing
@testable import SwitchboardCore

@Suite("Expression values and metadata")
struct ExpressionValueTests {
    @Test("Value.description", arguments: [
        (Value.null, "null"),
        (Value.bool(true), "true"),
        (Value.bool(false), "false"),
        (Value.number(300), "300"),
        (Value.number(300.0), "300"),
        (Value.number(12.5), "12.5"),
        (Value.number(-3), "-3"),
        (Value.string("refund"), #""refund""#),
        (Value.string(#"say "hi"\"#), #""say \"hi\"\\""#),
        (Value.string("a\nb"), #""a\nb""#),
        (Value.list([1, "a", true]), #"[1, "a", true]"#),
        (Value.list([]), "[]"),
    ])
    func description(value: Value, expected: String) {
        #expect(value.description == expected)
    }

    @Test("literal conformances")
    func literals() {
        let string: Value = "refund"
        let integer: Value = 300
        let decimal: Value = 12.5
        let flag: Value = true
        let list: Value = [1, "a", false]
        #expect(string == .string("refund"))
        #expect(integer == .number(300))
        #expect(decimal == .number(12.5))
        #expect(flag == .bool(true))
        #expect(list == .list([.number(1), .string("a"), .bool(false)]))
        #expect(Value.null.isNull && !integer.isNull)
    }

    @Test("names lists every dotted name read", arguments: [
        ("customer.tier == \"gold\" and amount > 100 or not (attributes.language in [channel, \"x\"])",
         Set(["customer.tier", "amount", "attributes.language", "channel"])),
        ("subject matches \"x\" and text contains pattern", Set(["subject", "text", "pattern"])),
        ("text matches \"(?i)refund\" or text contains \"money\"", Set(["text"])),
        ("\"text\" == 'text' and 1 < 2", Set<String>()),
        ("-amount > 3 and a.b.c", Set(["amount", "a.b.c"])),
        ("customer.in == 1 and true_flag", Set(["customer.in", "true_flag"])),
    ])
    func names(source: String, expected: Set<String>) throws {
        #expect(try Expression.parse(source).names == expected)
    }

    @Test("source and description are the text as given")
    func source() throws {
        let text = "  intent == 'refund'\n"
        let expression = try Expression.parse(text)
        #expect(expression.source == text)
        #expect(expression.description == text)
        #expect(try Expression.parse(text) == expression)
        #expect(try Expression.parse("intent == 'sales'") != expression)
    }

    @Test("a dictionary is a scope; missing keys read as null")
    func dictionaryScope() {
        let scope: [String: Value] = ["customer.tier": "gold"]
        #expect(scope.value(of: "customer.tier") == "gold")
        #expect(scope.value(of: "customer") == .null)
    }
}
