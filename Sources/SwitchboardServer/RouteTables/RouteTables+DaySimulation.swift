import Dispatch
import SwitchboardConfig
import SwitchboardCore
import SwitchboardSimulation

extension RouteTables {
    /// Runs the day of `scenario` (a scenario file) with the draft or the published table against the usual policies:
    /// the report `switchboard simulate day` prints. A few seconds of CPU, on a thread of its own so that no request
    /// waits behind it, and one day at a time: a second asked meanwhile waits for the first.
    func simulateDay(scenario path: String, table choice: TableChoice) async throws -> DayReport {
        let (table, version) = try await self.table(choice)
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.load(path: path)
        } catch {
            throw RouteTablesError.unprocessable("the day's scenario cannot be read: \(error)")
        }
        let name = choice == .draft ? "the draft (from version \(version))" : "the published table (version \(version))"
        return try await days.run {
            await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    let simulator = DaySimulator(scenario: scenario, table: table)
                    continuation.resume(
                        returning: DayReport(
                            scenario: scenario.name, seed: scenario.seed, table: name, agents: simulator.agentCount,
                            planned: simulator.plan.count, policies: simulator.runAll()))
                }
            }
        }
    }
}
