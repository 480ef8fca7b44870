import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// The policy keys of a route (priority, prefer, prefer_for, offer_timeout, relax) read into ``Route`` values.
@Suite struct RoutePolicyTests {
    /// Parses a table with one route `r` requiring billing 3 and general 2, with `lines` added to the route.
    static func route(_ lines: String) throws -> Route {
        let indented = lines.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        let yaml = """
            facts: {amount: {extract: '\\$([0-9]+)', as: number}}
            routes:
              - name: r
                require: {skills: {billing: 3, general: 2}, authority: {refund_limit: amount}}
            \(indented.joined(separator: "\n"))
            """
        let table = try RoutesLoader.parse(yaml: yaml, file: "t.yaml")
        return try #require(table.routes.first)
    }

    // MARK: - Durations

    /// Every accepted form of a duration, and its seconds.
    static let durations: [(String, Double)] = [
        ("20s", 20), ("90s", 90), ("2m", 120), ("1m30s", 90), ("1h", 3600), ("500ms", 0.5), ("45", 45),
        ("2.5", 2.5), ("'30'", 30), ("1h30m", 5400), ("1m 30s", 90), ("30 s", 30), ("1.5m", 90),
        ("2h1m1s250ms", 7261.25), ("' 10s '", 10),
    ]

    /// The three keys that read durations, and where each lands in the route.
    enum DurationKey: String, CaseIterable, Sendable {
        case offerTimeout = "offer_timeout"
        case preferFor = "prefer_for"
        case after

        func lines(_ duration: String) -> String {
            switch self {
            case .offerTimeout: "offer_timeout: \(duration)"
            case .preferFor: "prefer_for: \(duration)"
            case .after: "relax: [{after: \(duration), skills: {billing: 2}}]"
            }
        }

        func seconds(in route: Route) -> Double? {
            switch self {
            case .offerTimeout: route.offerTimeout
            case .preferFor: route.preference.holdSeconds
            case .after: route.relax.first?.after
            }
        }
    }

    @Test(arguments: durations, DurationKey.allCases)
    func everyDurationFormReadsAsSeconds(duration: (String, Double), key: DurationKey) throws {
        let route = try Self.route(key.lines(duration.0))
        #expect(key.seconds(in: route) == duration.1)
    }

    @Test(arguments: [
        ("thirty", DurationParser.Problem.notADuration), ("", .notADuration), ("s", .notADuration),
        ("1.s", .notADuration),
        ("1..2s", .notADuration), ("30s!", .notADuration), ("-5s", .negative), ("-1m30s", .negative),
        ("-fast", .notADuration), ("1m30", .missingUnit("30")), ("1 30s", .missingUnit("1")),
        ("2min", .unknownUnit("min")), ("10sec", .unknownUnit("sec")), ("3d", .unknownUnit("d")),
        ("30s1m", .unitOrder), ("1m2m", .unitOrder), ("500ms1s", .unitOrder),
    ])
    func durationParserNamesWhatIsWrong(text: String, problem: DurationParser.Problem) {
        #expect(throws: problem) { try DurationParser.seconds(text) }
    }

    @Test(arguments: [(20.0, "20s"), (90, "90s"), (0.5, "500ms"), (0.0001, "0.0001s")])
    func durationsAreDescribedForMessages(seconds: Double, text: String) {
        #expect(DurationParser.describe(seconds) == text)
    }

    @Test func offerTimeoutDefaultsToTheEngines() throws {
        #expect(try Self.route("when: 'channel == \"chat\"'").offerTimeout == Route.defaultOfferTimeout)
        #expect(try Self.route("offer_timeout: 45s").offerTimeout == 45)
    }

    // MARK: - Priority

    @Test(
        arguments: [
            ("", 0, []),
            ("priority: 2", 2, []),
            ("priority: -3", -3, []),
            ("priority: {base: 4}", 4, []),
            (#"priority: {base: 1, when: 'customer.tier == "gold"', add: 5}"#, 1, [(#"customer.tier == "gold""#, 5)]),
            ("priority: {when: 'amount > 100', add: 2}", 0, [("amount > 100", 2)]),
            (
                """
                priority:
                  base: 1
                  raise:
                    - {when: 'customer.tier == "gold"', add: 5}
                    - {when: 'channel == "chat"', add: -2}
                """, 1, [(#"customer.tier == "gold""#, 5), (#"channel == "chat""#, -2)]
            ),
        ] as [(String, Int, [(String, Int)])])
    func priorityForms(lines: String, base: Int, boosts: [(String, Int)]) throws {
        let priority = try Self.route(lines).priority
        #expect(priority.base == base)
        #expect(priority.boosts.map(\.when.source) == boosts.map(\.0))
        #expect(priority.boosts.map(\.add) == boosts.map(\.1))
    }

    // MARK: - Preference

    @Test(arguments: [
        ("", Preference(previousAgent: true, holdSeconds: 0)),
        ("prefer: previous_agent", Preference(previousAgent: true, holdSeconds: 0)),
        ("prefer: none", Preference(previousAgent: false, holdSeconds: 0)),
        ("prefer_for: 10s", Preference(previousAgent: true, holdSeconds: 10)),
        ("prefer: previous_agent\nprefer_for: 2m", Preference(previousAgent: true, holdSeconds: 120)),
        ("prefer_for: 0", Preference(previousAgent: true, holdSeconds: 0)),
    ])
    func preferenceForms(lines: String, expected: Preference) throws {
        #expect(try Self.route(lines).preference == expected)
    }

    // MARK: - Relax

    @Test(arguments: [
        ("", []),
        ("relax: []", []),
        (
            """
            relax:
              - {after: 20s, skills: {billing: 2}}
              - {after: 60s, skills: {billing: none}}
              - {after: 90s, prefer: none}
            """,
            [
                RelaxStep(after: 20, skills: ["billing": 2]), RelaxStep(after: 60, skills: ["billing": 0]),
                RelaxStep(after: 90, dropsPreference: true),
            ]
        ),
        (
            "relax: [{after: 500ms, skills: {billing: 0, general: 1}, prefer: none}]",
            [RelaxStep(after: 0.5, skills: ["billing": 0, "general": 1], dropsPreference: true)]
        ),
        (
            "relax:\n  - {after: 1m, skills: {general: 1}}\n  - {after: 1h, skills: {billing: 1}}\n  - {after: 2h, skills: {billing: none}}",
            [
                RelaxStep(after: 60, skills: ["general": 1]), RelaxStep(after: 3600, skills: ["billing": 1]),
                RelaxStep(after: 7200, skills: ["billing": 0]),
            ]
        ),
    ])
    func relaxForms(lines: String, expected: [RelaxStep]) throws {
        #expect(try Self.route(lines).relax == expected)
    }

    @Test func relaxedRouteStillRequiresItsAuthority() throws {
        let route = try Self.route("relax: [{after: 20s, skills: {billing: none, general: none}}]")
        let relaxed = route.relaxed(route.requirements.resolved(facts: ["amount": .number(300)]), waited: 20)
        #expect(relaxed.0.skills.isEmpty)
        #expect(relaxed.0.authority["refund_limit"]?.minimum == 300)
    }

    // MARK: - The whole route

    @Test func routeWithEveryKey() throws {
        let route = try Self.route(
            """
            when: 'amount > 0'
            priority: {base: 1, when: 'customer.tier == "gold"', add: 5}
            prefer: previous_agent
            prefer_for: 10s
            offer_timeout: 45s
            relax:
              - {after: 20s, skills: {billing: 2}}
              - {after: 60s, skills: {billing: none}}
              - {after: 90s, prefer: none}
            """)
        #expect(route.name == "r")
        #expect(route.when?.source == "amount > 0")
        #expect(
            route.requirements
                == Requirements(skills: ["billing": 3, "general": 2], authority: ["refund_limit": .fact("amount")]))
        #expect(route.priority.base == 1)
        #expect(route.priority.boosts.map(\.add) == [5])
        #expect(route.preference == Preference(previousAgent: true, holdSeconds: 10))
        #expect(route.offerTimeout == 45)
        #expect(route.relax.map(\.after) == [20, 60, 90])
        #expect(
            route.relax.map(\.description) == [
                "after 20s: billing 2", "after 60s: billing dropped", "after 90s: no preference",
            ])
    }

    /// The repository's own `Routes/` and `Config/agents.yaml`, as `switchboard routes check` reads them.
    @Test func repositoryRoutesUseThePolicyKeys() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let table = try RoutesLoader.load(directory: root.appendingPathComponent("Routes").path)
        _ = try AgentsLoader.load(path: root.appendingPathComponent("Config/agents.yaml").path)
        let refunds = try #require(table.routes.first { $0.name == "refunds" })
        #expect(refunds.relax.first?.skills == ["billing": 2])
        #expect(refunds.relax.first?.after == 20)
        #expect(table.routes.allSatisfy { $0.offerTimeout > 0 })
        #expect(table.routes.contains { !$0.priority.boosts.isEmpty })
    }
}
