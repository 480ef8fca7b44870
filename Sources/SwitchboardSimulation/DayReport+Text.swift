import Foundation

extension DayReport {
    /// The table printed on the terminal: one column per policy, then the goals.
    public var text: String {
        let elapsed: @Sendable (PolicyReport) -> String = { String(format: "%.2f s", $0.seconds) }
        let rows = Self.rows + [("simulated in", elapsed)]
        let headers = [""] + policies.map(\.policy.title)
        var grid = [headers] + rows.map { name, value in [name] + policies.map(value) }
        let widths = headers.indices.map { column in grid.map { $0[column].count }.max() ?? 0 }
        grid.insert(widths.map { String(repeating: "-", count: $0) }, at: 1)
        var lines = [
            "\(scenario): \(planned) conversations, \(agents) agents, seed \(seed), Switchboard with \(table)"
        ]
        for row in grid {
            lines.append(
                row.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  "))
        }
        lines.append("")
        lines.append("Switchboard's goals:")
        for goal in goals { lines.append("  " + goal.line) }
        return lines.joined(separator: "\n")
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
    static func seconds(_ value: Double) -> String { value < 100 ? String(format: "%.1f s", value) : String(format: "%.0f s", value) }
    static func number(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

extension DayReport.Goal {
    /// `p95 time to the resolving agent (s): 4.2, target ≤ 20 s: met; better than every other policy (best 35.0)`.
    public var line: String {
        let isShare = target.contains("%")
        func show(_ value: Double) -> String { isShare ? DayReport.percent(value) : DayReport.number(value, digits: 1) }
        var text = "\(name): \(show(value)), target \(target): "
        text += met ? "met" : "missed by \(show(shortBy ?? 0))"
        if let bestOther {
            text += beatsOthers ? "; better than every other policy (best \(show(bestOther)))"
                : "; not better than every other policy (best \(show(bestOther)))"
        }
        return text
    }
}
