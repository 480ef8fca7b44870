import Foundation
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSimulation
import Testing

@Suite("Scenario files")
struct ScenarioLoaderTests {
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ScenarioLoader.parse(yaml: yaml, file: "day.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("every problem is named with its file, line and column")
    func problems() {
        let yaml = """
            name: Broken
            day: {opens: "9am", closes: "18:00"}
            arrivals:
              conversations: 0
              channels: {chat: 1}
            intents:
              - {name: refund, share: 1, text: "refund {amount}", authority: {refund_limit: amount}, handle: {chat: 4m}}
            agents:
              - {group: a, count: 2, capacity: {chat: 3}, shift: {start: "10:00", end: "09:00"}}
              - {group: b, count: 1, capacity: {chat: 3}, shfit: {}}
            """
        #expect(Self.problems(yaml) == [
            #"day.yaml:2:14: day opens must be a time of day like "08:30" (quoted), found "9am""#,
            "day.yaml:4:18: arrivals: conversations must be 1 to 10000000, found 0",
            #"day.yaml:7:66: intents: intent "refund": authority compares a limit with the amount, but the intent has no amount"#,
            #"day.yaml:9:54: agent group "a": shift ends at or before it starts (a shift past midnight is not supported)"#,
            #"day.yaml:10:5: agent group "b": the group is missing shift"#,
            #"day.yaml:10:47: unknown key "shfit" in agent group 2 (expected group, count, skills, authority, capacity, shift)"#,
        ])
    }

    @Test("the shipped scenario reads, and its 500 agents stagger their breaks")
    func shippedScenario() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scenario = try ScenarioLoader.load(path: root.appendingPathComponent("Config/scenarios/retail-day.yaml").path)
        #expect(scenario.arrivals.conversations == 50_000)
        let roster = scenario.roster
        #expect(roster.count == 500)
        #expect(Set(roster.map(\.agent.id)).count == 500)
        let breaks = Set(roster.compactMap { $0.shift.breaks.first?.at })
        #expect(breaks.count > 100)
        _ = try RoutesLoader.load(directory: root.appendingPathComponent("Routes").path)
    }

    @Test("a missing file is named")
    func missing() {
        #expect(throws: ConfigErrors.self) { try ScenarioLoader.load(path: "/nonexistent/day.yaml") }
    }
}
