import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Routing table")
struct RoutingTableTests {
    static func table() throws -> RoutingTable {
        RoutingTable(
            facts: [
                Fact(name: "amount", rule: .extract(try FactPattern(#"\$\s?([0-9]+(?:\.[0-9]+)?)"#), as: .number)),
                Fact(
                    name: "intent",
                    rule: .cases([
                        FactCase(when: try Expression.parse(#"text matches "(?i)refund|charged twice|money back""#), value: "refund"),
                        FactCase(when: try Expression.parse(#"text matches "(?i)lawyer|ridiculous|unacceptable""#), value: "upset"),
                    ])),
                Fact(name: "big", rule: .cases([FactCase(when: try Expression.parse("amount > 1000"), value: true)])),
            ],
            routes: [
                Route(
                    name: "refunds", when: try Expression.parse(#"intent == "refund""#),
                    requirements: Requirements(skills: ["billing": 3], authority: ["refund_limit": .fact("amount")])),
                Route(name: "vip", when: try Expression.parse(#"customer.tier == "gold""#), requirements: Requirements(skills: ["general": 2])),
                Route(name: "general", requirements: Requirements(skills: ["general": 1])),
            ])
    }

    static func message(_ text: String, attributes: [String: Value] = [:]) -> InboundMessage {
        InboundMessage(
            source: "web", conversationId: "c", channel: "chat", customer: CustomerInfo(externalId: "u"), messageId: "m",
            text: text, sentAt: Date(), attributes: attributes)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var attributes: [String: Value] = [:]
        var route: String
        var amount: Value
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "I was charged twice, I want a refund of $300", route: "refunds", amount: 300),
        Case(text: "money back please: $ 12.50", route: "refunds", amount: 12.5),
        Case(text: "REFUND now", route: "refunds", amount: .null),
        Case(text: "this is ridiculous", attributes: ["tier": "gold"], route: "vip", amount: .null),
        Case(text: "where is my parcel", route: "general", amount: .null),
        Case(text: "it cost $5000", route: "general", amount: 5000),
    ]

    @Test("facts are extracted and the first matching route decides", arguments: cases)
    func routes(_ testCase: Case) throws {
        let match = try #require(try Self.table().match(Self.message(testCase.text, attributes: testCase.attributes)))
        #expect(match.route == testCase.route)
        #expect((match.facts["amount"] ?? .null) == testCase.amount)
    }

    @Test("facts and matches read the first match-limit bytes of the text, however long it is")
    func matchLimit() throws {
        let padding = String(repeating: "é", count: 40_000)  // 80,000 bytes
        var table = try Self.table()
        // Beyond the default 64 KiB: neither the keyword nor the amount is read.
        let late = try #require(table.match(Self.message(padding + " refund of $300")))
        #expect(late.route == "general")
        #expect(late.facts["amount"] == nil || late.facts["amount"] == .null)
        // Within it: both are.
        #expect(table.match(Self.message("refund of $300 " + padding))?.route == "refunds")
        // A larger bound reads them again; a bound inside a two-byte character cuts before it.
        table.matchLimit = 100_000
        #expect(table.match(Self.message(padding + " refund of $300"))?.facts["amount"] == 300)
        #expect("aé".utf8Prefix(2) == "a")
        #expect("aé".utf8Prefix(3) == "aé")
    }

    @Test("a fact reads the facts declared before it")
    func factChain() throws {
        let facts = try Self.table().facts(for: Self.message("refund $5000"))
        #expect(facts["big"] == .bool(true))
        #expect(facts["intent"] == "refund")
    }

    @Test("an authority requirement takes the fact's value, or demands the authority when the fact is missing")
    func resolvedAuthority() throws {
        let withAmount = try #require(try Self.table().match(Self.message("refund $300")))
        #expect(withAmount.requirements.authority["refund_limit"] == ResolvedAuthority(minimum: 300, fact: "amount"))
        let without = try #require(try Self.table().match(Self.message("refund please")))
        #expect(without.requirements.authority["refund_limit"] == ResolvedAuthority(minimum: nil, fact: "amount"))
    }

    @Test("no route applies when none holds and none is unconditional")
    func noRoute() throws {
        let table = RoutingTable(routes: [Route(name: "only", when: try Expression.parse(#"channel == "email""#))])
        #expect(table.match(Self.message("hi")) == nil)
    }

    @Test("a route taken from another table still reads its own names, not what that slot holds here")
    func routeFromAnotherTable() throws {
        // In `other`, channel has slot 0 and customer.tier slot 1; in `table`, slot 1 is customer.id.
        let other = RoutingTable(routes: [
            Route(name: "gold", when: try Expression.parse(#"customer.tier == "gold" and channel == "chat""#))
        ])
        var table = RoutingTable(routes: [
            Route(name: "email", when: try Expression.parse(#"channel == "email" or customer.id == "vip-1""#))
        ])
        table.routes.append(other.routes[0])
        #expect(table.match(Self.message("hi", attributes: ["tier": "gold"]))?.route == "gold")
        #expect(table.match(Self.message("hi", attributes: ["tier": "basic"])) == nil)
    }

    @Test("a priority boost reads the same names as the conditions")
    func priorityBoost() throws {
        let table = RoutingTable(routes: [
            Route(
                name: "any", when: try Expression.parse(#"customer.tier != "banned""#),
                priority: RoutePriority(base: 1, boosts: [PriorityBoost(when: try Expression.parse(#"customer.tier == "gold""#), add: 5)]))
        ])
        #expect(table.match(Self.message("hi", attributes: ["tier": "gold"]))?.priority == 6)
        #expect(table.match(Self.message("hi", attributes: ["tier": "basic"]))?.priority == 1)
    }
}
