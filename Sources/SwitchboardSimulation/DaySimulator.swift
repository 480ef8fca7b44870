import Foundation
import HeapModule
import SwitchboardCore

/// Runs a scenario's day against a policy with a virtual clock: no sleeping, no HTTP, the real routing engine
/// for Switchboard. Every policy gets the same arrivals, drawn once from the seed.
public struct DaySimulator: Sendable {
    public let scenario: Scenario
    public let table: RoutingTable
    public let plan: [PlannedConversation]
    let roster: [RosterAgent]
    let capabilities: Capabilities
    /// The day simulated is 1 January 2026, in UTC: only the time of day matters.
    static let midnight = Date(timeIntervalSince1970: 1_767_225_600)
    /// Seconds a passed-on conversation waits before its agent tries again when nobody can take it.
    static let transferRetry = 15.0
    /// Handling is this much faster for the customer's previous agent.
    static let previousAgentSpeed = 0.8
    static let step = 900.0

    public init(scenario: Scenario, table: RoutingTable) {
        self.scenario = scenario
        self.table = table
        plan = ArrivalPlan.draw(scenario)
        roster = scenario.roster
        capabilities = Capabilities(intents: scenario.intents, agents: roster.map(\.agent))
    }

    public var agentCount: Int { roster.count }

    /// Every policy in turn, on the same arrivals.
    public func runAll(_ kinds: [PolicyKind] = PolicyKind.allCases, progress: (PolicyReport) -> Void = { _ in }) -> [PolicyReport] {
        kinds.map { kind in
            let report = run(kind)
            progress(report)
            return report
        }
    }

    public func run(_ kind: PolicyKind) -> PolicyReport {
        let began = ContinuousClock.now
        let agents = roster.map(\.agent)
        var run: DayRun
        switch kind {
        case .switchboard:
            run = DayRun(self, policy: SwitchboardPolicy(table: table, agents: agents, now: Self.midnight))
        case .roundRobin: run = DayRun(self, policy: BaselinePolicy(rule: .roundRobin, table: table, agents: agents))
        case .skillsOnly: run = DayRun(self, policy: BaselinePolicy(rule: .skillsOnly, table: table, agents: agents))
        case .longestIdle: run = DayRun(self, policy: BaselinePolicy(rule: .longestIdle, table: table, agents: agents))
        }
        run.simulate()
        let elapsed = ContinuousClock.now - began
        return run.report(
            kind, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
