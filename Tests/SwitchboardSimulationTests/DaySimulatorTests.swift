import Foundation
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSimulation
import Testing

@Suite("Day simulator")
struct DaySimulatorTests {
    /// Refunds need billing 3 and a refund_limit covering the amount; everything else general 1.
    static let routes = """
        facts:
          amount: {extract: '\\$\\s?([0-9]+(?:\\.[0-9]+)?)', as: number}
          intent:
            - {when: 'text matches "(?i)refund"', value: refund}
        routes:
          - name: refunds
            when: 'intent == "refund"'
            require: {skills: {billing: 3}, authority: {refund_limit: amount}}
          - name: general
            require: {skills: {general: 1}}
        """

    /// A short day: `conversations` arrivals between 09:00 and 11:00, the given intents and agents.
    static func scenario(conversations: Int = 400, seed: Int = 7, intents: String, agents: String) -> String {
        """
        name: Test day
        seed: \(seed)
        day: {opens: "09:00", closes: "11:00"}
        arrivals:
          conversations: \(conversations)
          channels: {chat: 1}
          patience: {chat: 10m}
        intents:
        \(intents)
        agents:
        \(agents)
        """
    }

    static let mixedIntents = """
          - {name: question, share: 1, text: "How do I reset my password?", skills: {general: 1}, handle: {chat: 3m}}
          - {name: refund, share: 1, text: "Please refund {amount}", amount: {min: 5, max: 200}, skills: {billing: 3},
             authority: {refund_limit: amount}, handle: {chat: 4m}}
        """

    static let mixedAgents = """
          - {group: generalists, count: 10, skills: {general: 2}, capacity: {chat: 3}, shift: {start: "09:00", end: "12:00"}}
          - {group: billing, count: 6, skills: {general: 2, billing: 4}, authority: {refund_limit: 50}, capacity: {chat: 3},
             shift: {start: "09:00", end: "12:00"}}
          - {group: senior, count: 6, skills: {general: 2, billing: 4}, authority: {refund_limit: 500}, capacity: {chat: 3},
             shift: {start: "09:00", end: "12:00"}}
        """

    static func simulator(_ yaml: String) throws -> DaySimulator {
        let scenario = try ScenarioLoader.parse(yaml: yaml, file: "day.yaml")
        return DaySimulator(scenario: scenario, table: try RoutesLoader.parse(yaml: routes, file: "Routes/t.yaml"))
    }

    /// The report without the wall-clock seconds, which differ run to run.
    static func comparable(_ report: PolicyReport) -> PolicyReport {
        var copy = report
        copy.seconds = 0
        return copy
    }

    @Test("the same scenario and seed give the same day, another seed another one")
    func deterministic() throws {
        let yaml = Self.scenario(intents: Self.mixedIntents, agents: Self.mixedAgents)
        let first = try Self.simulator(yaml).runAll().map(Self.comparable)
        let second = try Self.simulator(yaml).runAll().map(Self.comparable)
        #expect(first == second)
        let other = try Self.simulator(Self.scenario(seed: 8, intents: Self.mixedIntents, agents: Self.mixedAgents))
        #expect(other.plan != (try Self.simulator(yaml)).plan)
        #expect(first.allSatisfy { $0.resolved > 300 })
    }

    @Test("round robin hands billing work to agents without the skill, who pass it on; Switchboard does not")
    func roundRobinTransfers() throws {
        let simulator = try Self.simulator(Self.scenario(intents: Self.mixedIntents, agents: Self.mixedAgents))
        let reports = Dictionary(uniqueKeysWithValues: simulator.runAll([.switchboard, .roundRobin]).map { ($0.policy, $0) })
        let switchboard = try #require(reports[.switchboard])
        let roundRobin = try #require(reports[.roundRobin])
        #expect(roundRobin.transfersPerConversation > 0.2)
        #expect(roundRobin.transfersWithinAuthority > 0)
        #expect(roundRobin.firstContactResolution < 0.9)
        #expect(switchboard.transfersPerConversation == 0)
        #expect(switchboard.firstContactResolution == 1)
        #expect(switchboard.unresolvable == 0)
        #expect(switchboard.timeToResolver.p95 < roundRobin.timeToResolver.p95)
    }

    @Test("work nobody has the authority for is reported as unresolvable, never passed from agent to agent")
    func unresolvable() throws {
        let intents = """
              - {name: refund, share: 1, text: "Please refund {amount}", amount: {min: 600, max: 900}, skills: {billing: 3},
                 authority: {refund_limit: amount}, handle: {chat: 4m}}
            """
        let simulator = try Self.simulator(Self.scenario(conversations: 50, intents: intents, agents: Self.mixedAgents))
        for report in simulator.runAll() {
            #expect(report.unresolvable == 50, "\(report.policy)")
            #expect(report.resolved == 0, "\(report.policy)")
            #expect(report.transfersPerConversation == 0, "\(report.policy)")
            #expect(report.transfersWithinAuthority == 0, "\(report.policy)")
        }
    }

    @Test("a promise made at resolution comes back as a follow-up, handled by the agent who made it")
    func promisesFollowUp() throws {
        let intents = """
              - {name: question, share: 1, text: "Where is my parcel?", skills: {general: 1}, handle: {chat: 2m},
                 promises: 1, promise_after: 10m}
            """
        let simulator = try Self.simulator(Self.scenario(conversations: 40, intents: intents, agents: Self.mixedAgents))
        let report = simulator.run(.switchboard)
        #expect(report.followUps > 20)
        #expect(report.conversations == 40 + report.followUps)
        #expect(report.resolved == report.conversations)
    }

    @Test("goals: Switchboard's are checked against its targets and against every other policy")
    func goals() throws {
        let simulator = try Self.simulator(Self.scenario(intents: Self.mixedIntents, agents: Self.mixedAgents))
        let report = DayReport(
            scenario: "t", seed: 7, table: "Routes", agents: simulator.agentCount, planned: simulator.plan.count,
            policies: simulator.runAll())
        // Skills-only and longest-idle routing send refunds above 50 to billing agents whose limit is 50 as well.
        let transfers = try #require(report.goals.first)
        #expect(transfers.met && transfers.beatsOthers)
        #expect((transfers.bestOther ?? 0) > 0)
        let resolution = try #require(report.goals.last)
        #expect(resolution.met && resolution.beatsOthers)
        // A tie is not a win: against itself, Switchboard beats nobody.
        let alone = DayReport(
            scenario: "t", seed: 7, table: "Routes", agents: 1, planned: 1,
            policies: [report.policies[0], { var twin = report.policies[0]; twin.policy = .skillsOnly; return twin }()])
        #expect(alone.goals.allSatisfy { !$0.beatsOthers })
        #expect(report.text.contains("Switchboard's goals:"))
        let html = report.html
        #expect(html.contains("<svg") && html.contains("Round robin") && !html.contains("<script"))
        let json = try JSONSerialization.jsonObject(with: DayReport.json(report)) as? [String: Any]
        #expect((json?["policies"] as? [Any])?.count == 4)
    }
}
