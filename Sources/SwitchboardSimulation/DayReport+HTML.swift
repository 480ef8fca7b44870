import Foundation

extension DayReport {
    /// A self-contained page: the table, the goals and three plots drawn as inline SVG (no script, no
    /// stylesheet or font from elsewhere).
    public var html: String {
        let columns = policies.map { "<th>\(Self.escape($0.policy.title))</th>" }.joined()
        let tableRows = Self.rows.map { name, value in
            "<tr><th>\(name)</th>" + policies.map { "<td>\(Self.escape(value($0)))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        let goalItems = goals.map { goal in
            let ok = goal.met && goal.beatsOthers
            return "<li class=\"\(ok ? "met" : "missed")\">\(Self.escape(goal.line))</li>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Switchboard day simulation: \(Self.escape(scenario))</title>
            <style>
            body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2433;padding:0 1rem}
            table{border-collapse:collapse;margin:1rem 0}th,td{padding:.3rem .8rem;border-bottom:1px solid #dde}
            td{text-align:right;font-variant-numeric:tabular-nums}thead th{text-align:right}tbody th{text-align:left;font-weight:500}
            li.met{color:#17663a}li.missed{color:#a4262c}figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
            .legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:1rem;height:.6rem;margin-right:.3rem}
            </style></head><body>
            <h1>A day at \(Self.escape(scenario))</h1>
            <p>\(planned) conversations, \(agents) agents, seed \(seed). Switchboard routed with \(Self.escape(table)); the
            other policies got the same arrivals. Time to the resolving agent runs from the customer's first message to the
            agent who resolves the conversation.</p>
            <table><thead><tr><th></th>\(columns)</tr></thead><tbody>
            \(tableRows)
            </tbody></table>
            <h2>Switchboard's goals</h2><ul>
            \(goalItems)
            </ul>
            \(legend)
            \(lineChart(
                title: "p95 time to the resolving agent, by arrival time (s)",
                values: { $0.timeline.map(\.timeToResolverP95) }))
            \(lineChart(title: "Customers waiting for an agent", values: { $0.timeline.map { Double($0.queue) } }))
            \(barChart())
            </body></html>
            """
    }

    static let colours = ["#1f6feb", "#d9480f", "#2f9e44", "#ae3ec9"]

    /// The figures of each policy, as the terminal and the page show them.
    static let rows: [(String, @Sendable (PolicyReport) -> String)] = [
        ("conversations (follow-ups)", { "\($0.conversations) (\($0.followUps))" }),
        ("resolved", { "\($0.resolved)" }),
        ("transfers per conversation", { number($0.transfersPerConversation, digits: 3) }),
        ("2 or more transfers", { percent($0.twoOrMoreTransfers) }),
        ("transfers within authority", { "\($0.transfersWithinAuthority)" }),
        ("first-contact resolution", { percent($0.firstContactResolution) }),
        ("to resolving agent p50 / p95 / p99", {
            "\(seconds($0.timeToResolver.p50)) / \(seconds($0.timeToResolver.p95)) / \(seconds($0.timeToResolver.p99))"
        }),
        ("over 20 s", { percent($0.over20Seconds) }),
        ("occupancy", { percent($0.occupancy) }),
        ("abandoned", { "\(percent($0.abandonment)) (\($0.abandoned))" }),
        ("unresolvable (nobody can)", { "\($0.unresolvable)" }),
        ("unfinished at day's end", { "\($0.unfinished)" }),
    ]

    private var legend: String {
        "<p class=\"legend\">" + policies.enumerated().map { index, policy in
            "<span><i style=\"background:\(Self.colours[index % Self.colours.count])\"></i>\(Self.escape(policy.policy.title))</span>"
        }.joined() + "</p>"
    }

    /// One line per policy over the day's steps; a step without a value breaks the line.
    private func lineChart(title: String, values: (PolicyReport) -> [Double?]) -> String {
        let (width, height, left, bottom) = (900.0, 260.0, 50.0, 24.0)
        let series = policies.map(values)
        let steps = series.map(\.count).max() ?? 0
        let top = max(1, series.flatMap { $0.compactMap { $0 } }.max() ?? 1)
        func x(_ index: Int) -> Double { left + (width - left - 10) * Double(index) / Double(max(1, steps - 1)) }
        func y(_ value: Double) -> Double { (height - bottom) * (1 - value / top) + 5 }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        for fraction in [0.0, 0.5, 1.0] {
            let value = top * fraction
            svg += "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(y(value))\" y2=\"\(y(value))\" stroke=\"#dde\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(value) + 4)\" font-size=\"11\" text-anchor=\"end\">\(Self.axis(value))</text>"
        }
        if let timeline = policies.first?.timeline {
            for (index, step) in timeline.enumerated() where Int(step.at) % 7200 == 0 {
                svg += "<text x=\"\(x(index))\" y=\"\(height - 4)\" font-size=\"11\" text-anchor=\"middle\">\(Self.clock(step.at))</text>"
            }
        }
        for (index, points) in series.enumerated() {
            var path = ""
            var pen = false
            for (step, value) in points.enumerated() {
                guard let value else {
                    pen = false
                    continue
                }
                path += String(format: "%@%.1f %.1f ", pen ? "L" : "M", x(step), y(value))
                pen = true
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(Self.colours[index % Self.colours.count])\" stroke-width=\"2\"/>"
        }
        return "<figure><figcaption>\(Self.escape(title))</figcaption>\(svg)</svg></figure>"
    }

    private func barChart() -> String {
        let (width, rowHeight) = (900.0, 28.0)
        let top = max(0.001, policies.map(\.transfersPerConversation).max() ?? 1)
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(rowHeight * Double(policies.count) + 10))\" width=\"100%\" role=\"img\" aria-label=\"Transfers per conversation\">"
        for (index, policy) in policies.enumerated() {
            let y = Double(index) * rowHeight + 5
            let length = (width - 480) * policy.transfersPerConversation / top
            svg += "<text x=\"170\" y=\"\(y + 17)\" font-size=\"13\" text-anchor=\"end\">\(Self.escape(policy.policy.title))</text>"
            svg += "<rect x=\"180\" y=\"\(y)\" width=\"\(max(1, length))\" height=\"\(rowHeight - 8)\" fill=\"\(Self.colours[index % Self.colours.count])\"/>"
            svg += "<text x=\"\(186 + length)\" y=\"\(y + 16)\" font-size=\"12\">\(Self.number(policy.transfersPerConversation, digits: 3)) (\(Self.percent(policy.twoOrMoreTransfers)) with 2 or more)</text>"
        }
        return "<figure><figcaption>Transfers per conversation</figcaption>\(svg)</svg></figure>"
    }

    static func axis(_ value: Double) -> String { value >= 10 ? String(format: "%.0f", value) : String(format: "%.1f", value) }

    /// `08:00` for 28,800 seconds after midnight.
    static func clock(_ seconds: Double) -> String {
        let minutes = Int(seconds) / 60
        return String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
