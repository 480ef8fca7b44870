import Foundation
import SwitchboardCore
import Testing
@testable import SwitchboardConfig

@Suite struct RoutesLoaderTests {
    @Test func exampleTableParses() throws {
        let table = try RoutesLoader.parse(yaml: Fixtures.supportRoutes, file: "Routes/support.yaml")
        #expect(table.facts.map(\.name) == ["amount", "intent"])
        guard case .extract(let pattern, let type) = table.facts[0].rule else {
            Issue.record("amount should be extracted")
            return
        }
        #expect(type == .number)
        #expect(pattern.source == #"\$\s?([0-9]+(?:\.[0-9]+)?)"#)
        guard case .cases(let cases) = table.facts[1].rule else {
            Issue.record("intent should have cases")
            return
        }
        #expect(cases.map(\.value) == ["refund", "upset"])
        #expect(cases[0].when.source == #"text matches "(?i)refund|charged twice|money back""#)

        #expect(table.routes.map(\.name) == ["refunds", "general"])
        #expect(table.routes[0].when?.source == #"intent == "refund""#)
        #expect(table.routes[0].requirements == Requirements(skills: ["billing": 3], authority: ["refund_limit": .fact("amount")]))
        #expect(table.routes[1].when == nil)
        #expect(table.routes[1].requirements == Requirements(skills: ["general": 1]))
    }

    @Test func factsKeepDeclarationOrder() throws {
        let yaml = """
            facts:
              zeta: {extract: 'z(\\d+)'}
              alpha: {extract: 'a(\\d+)'}
              mid: [{when: 'zeta != alpha', value: 1}]
            routes: [{name: all}]
            """
        let table = try RoutesLoader.parse(yaml: yaml, file: "t.yaml")
        #expect(table.facts.map(\.name) == ["zeta", "alpha", "mid"])
        guard case .extract(_, let type) = table.facts[0].rule else {
            Issue.record("zeta should be extracted")
            return
        }
        #expect(type == .string)
    }

    @Test(arguments: [
        ("refund_limit: 250", AuthorityRequirement.atLeast(250)),
        ("refund_limit: 99.5", .atLeast(99.5)),
        ("approve_returns: true", .permission),
        ("refund_limit: amount", .fact("amount")),
    ])
    func authorityForms(entry: String, expected: AuthorityRequirement) throws {
        let yaml = """
            facts: {amount: {extract: '(\\d+)', as: number}}
            routes:
              - {name: r, require: {authority: {\(entry)}}}
            """
        let table = try RoutesLoader.parse(yaml: yaml, file: "t.yaml")
        #expect(table.routes[0].requirements.authority.values.first == expected)
    }

    @Test func expressionErrorInQuotedWhenPointsIntoTheFile() {
        let yaml = """
            facts:
              intent:
                - {when: 'text matches "(?i)refund', value: refund}
            routes: [{name: all}]
            """
        // The quote opens at column 15; the string literal starts at expression column 14.
        #expect(Fixtures.problems { _ = try RoutesLoader.parse(yaml: yaml, file: "Routes/support.yaml") } == [
            #"Routes/support.yaml:3:28: fact "intent": unterminated string: missing closing " before end of expression"#
        ])
    }

    @Test(arguments: [
        // plain, single-quoted with '' escapes, double-quoted with \" escapes, literal block
        ("    when: intent == = 1", 4, 21),
        ("    when: 'x == ''it'' = 1'", 4, 24),
        (#"    when: "\"a\" == = 1""#, 4, 21),
        ("    when: |\n      intent == 1 and\n      == 2", 6, 7),
    ])
    func expressionColumnsFollowTheScalarStyle(whenLine: String, line: Int, column: Int) {
        let yaml = "facts: {intent: {extract: 'x'}}\nroutes:\n  - name: r\n\(whenLine)\n"
        let problems = Fixtures.problems { _ = try RoutesLoader.parse(yaml: yaml, file: "t.yaml") }
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("t.yaml:\(line):\(column): route \"r\": ") == true, "\(problems)")
    }

    @Test func collectsEveryProblemOfAFile() {
        let yaml = """
            routes:
              - name: a
                when: 'tier == 1'
                require: {skills: {billing: 9}}
              - name: b
                require: {skills: {general: 0}}
            """
        #expect(Fixtures.problems { _ = try RoutesLoader.parse(yaml: yaml, file: "r.yaml") } == [
            #"r.yaml:3:12: route "a": unknown name "tier""#,
            #"r.yaml:4:33: route "a": skill level for billing must be 1 to 5, found 9"#,
            #"r.yaml:6:33: route "b": skill level for general must be 1 to 5, found 0"#,
        ])
    }

    @Test func directoryMergesFilesInNameOrder() throws {
        let directory = try TemporaryDirectory()
        try directory.write("b-general.yaml", "routes:\n  - name: general\n    when: 'intent == \"other\"'\n")
        try directory.write("a-billing.yml", "facts:\n  intent: [{when: 'text matches \"refund\"', value: refund}]\nroutes:\n  - {name: refunds, when: 'intent == \"refund\"'}\n")
        try directory.write("notes.txt", "not a table")
        let table = try RoutesLoader.load(directory: directory.path)
        #expect(table.facts.map(\.name) == ["intent"])
        #expect(table.routes.map(\.name) == ["refunds", "general"])
    }

    @Test func routeNamesAreUniqueAcrossFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.yaml", "routes:\n  - {name: general, when: 'channel == \"chat\"'}\n")
        try directory.write("b.yaml", "routes:\n  - name: general\n")
        #expect(Fixtures.problems { _ = try RoutesLoader.load(directory: directory.path) } == [
            "\(directory.path)/b.yaml:2:11: route \"general\": another route is already named \"general\" (\(directory.path)/a.yaml:2)"
        ])
    }

    @Test func catchAllInAnEarlierFileHidesLaterRoutes() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.yaml", "facts:\n  vip: [{when: 'customer.tier == \"gold\"', value: true}]\nroutes:\n  - name: everyone\n")
        try directory.write("b.yaml", "facts:\n  rich: [{when: 'vip', value: true}]\nroutes:\n  - {name: gold, when: 'rich'}\n")
        #expect(Fixtures.problems { _ = try RoutesLoader.load(directory: directory.path) } == [
            "\(directory.path)/b.yaml:4:5: route \"gold\": can never apply: route \"everyone\" (\(directory.path)/a.yaml:4) "
                + "comes before it and has no when, so it takes every conversation"
        ])
    }

    @Test func missingOrEmptyDirectoryIsNamed() throws {
        let directory = try TemporaryDirectory()
        #expect(Fixtures.problems { _ = try RoutesLoader.load(directory: directory.path) } == [
            "\(directory.path): routes directory has no routing table (no *.yaml or *.yml file)"
        ])
        #expect(Fixtures.problems { _ = try RoutesLoader.load(directory: directory.path + "/nope") } == [
            "\(directory.path)/nope: routes directory not found"
        ])
    }
}

/// A directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
