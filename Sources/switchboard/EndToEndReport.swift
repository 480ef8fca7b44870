import Foundation
import SwitchboardBench

/// The figures of one step of `switchboard bench e2e`: one rate, fresh servers and store.
struct StepResult: Codable, Sendable {
    var store: String
    var instances: Int
    var agents: Int
    var mix: String
    /// Conversations started per second, as planned; webhooks per second with the follow-ups.
    var rate: Int
    var webhookRate: Double
    var durationSeconds: Double
    var drainSeconds: Double
    var plannedWebhooks: Int
    var plannedKinds: [String: Int]
    var sent: Int
    var acknowledged: Int
    /// Webhook sent → the server's answer (202 once the event is committed).
    var webhookToAnswerMs: LatencySummary?
    var refused: [String: Int]
    var transportErrors: Int
    var firstError: String?
    /// Webhooks per second the sender achieved, and how late it was against the schedule.
    var achievedSendRate: Double
    var sendLatenessMs: LatencySummary?
    var generatorBehind: Bool
    var stoppedEarly: Bool
    var conversationsSent: Int
    /// Conversations whose first handoff reached the desk by the end of the wait (all in, or `drain` seconds
    /// after the last send); those whose first handoff came later: before the servers were told to stop
    /// (while `/metrics` was read and the desk's last accepts answered), and after (during their graceful shutdown).
    var handedOff: Int
    var arrivedAfterTheWait: Int
    var arrivedDuringShutdown: Int
    /// Conversations offered more than once (a lapse, a move), and deliveries of a handoff id already seen.
    var duplicates: Int
    var redeliveries: Int
    var released: [String: Int]
    var badSignatures: Int
    var unrecognisedDeliveries: Int
    /// Webhook sent → its conversation's first handoff at the desk, over the conversations handed off.
    var webhookToHandoffMs: LatencySummary?
    /// Handed off per second, from the first send to the last handoff.
    var handoffThroughput: Double
    var followUpsSent: Int
    var followUpsDelivered: Int
    var followUpToDeskMs: LatencySummary?
    var accepted: Int
    var acceptRefused: [String: Int]
    var acceptErrors: Int
    /// From `/metrics`, summed over the instances; nil when not exported.
    var engineRebuilds: Double?
    var offersTimedOut: Double?
    var serversEnded: [Int]
    /// From the end of the wait until `/metrics` was read and the desk's accepts in flight were answered (or, after
    /// 10 s, cancelled); then until the servers had stopped.
    var secondsToStopAccepting: Double
    var secondsToStopServers: Double
    /// From the first send to the end of the wait: the machine's CPU busy (100 % per core) and this process's share.
    var machineCPUPercent: Double
    var benchCPUPercent: Double
    /// Every conversation handed off and the p99 under the limit.
    var sustained: Bool
}

/// The whole run, as printed and as `--json` prints it.
struct EndToEndResult: Codable, Sendable {
    var date: String
    var command: String
    var cores: Int
    var loadAverageBefore: String
    var loadAverageAfter: String
    /// `GET /health`, closed loop, the same sender, the first step's servers: the machine's ceiling.
    var ceilingRequestsPerSecond: Double?
    var postgresSettings: [String: String]?
    var p99LimitMs: Double
    var steps: [StepResult]
    /// With --find-max: the highest rate sustained.
    var maxSustainableRate: Int?
}

enum EndToEndReport {
    /// The one-line heading of a step.
    static func heading(_ step: StepResult) -> String {
        "\(step.store)\(step.store == "postgres" ? ", \(step.instances) instance\(step.instances == 1 ? "" : "s")" : ""): "
            + "\(group(step.rate)) conversations/s (\(group(Int(step.webhookRate.rounded()))) webhooks/s with follow-ups) "
            + "for \(format(step.durationSeconds)) s, \(step.agents) agents, mix \(step.mix)"
    }

    /// Prints a step's figures.
    static func print(_ step: StepResult, ceiling: Double?) {
        var lines = [heading(step)]
        let kinds = step.plannedKinds.sorted { $0.key < $1.key }.map { "\($0.key) \(group($0.value))" }.joined(separator: ", ")
        lines.append("  planned:              \(group(step.plannedWebhooks)) webhooks (\(kinds))")
        lines.append(
            "  sent:                 \(group(step.sent)) at \(group(Int(step.achievedSendRate.rounded())))/s achieved"
                + " (late p99 \(ms(step.sendLatenessMs?.p99)), max \(ms(step.sendLatenessMs?.max)))"
                + (step.stoppedEarly ? ", stopped early: the step had failed already" : ""))
        var refusals = step.refused.sorted { $0.key < $1.key }.map { "\($0.key): \(group($0.value))" }
        if step.transportErrors > 0 { refusals.append("no answer: \(group(step.transportErrors))") }
        lines.append(
            "  acknowledged (202):   \(group(step.acknowledged))\(refusals.isEmpty ? "" : " (others: \(refusals.joined(separator: ", ")))")")
        if let answer = step.webhookToAnswerMs {
            lines.append(
                "  webhook -> 202:       p50 \(ms(answer.p50))  p90 \(ms(answer.p90))  p99 \(ms(answer.p99))  max \(ms(answer.max))")
        }
        if let error = step.firstError { lines.append("  first send error:     \(error)") }
        lines.append(
            "  handed off:           \(group(step.handedOff)) of \(group(step.conversationsSent)) conversations "
                + "within \(format(step.drainSeconds)) s after the last send"
                + "\n    after the wait: \(group(step.arrivedAfterTheWait)) more first handoffs in the \(format(step.secondsToStopAccepting)) s"
                + " /metrics was read and the desk's last accepts answered (10 s at most), \(group(step.arrivedDuringShutdown)) more in the"
                + " \(format(step.secondsToStopServers)) s of the servers' graceful shutdown (SIGTERM)")
        lines.append(
            "  handed off per second: \(group(Int(step.handoffThroughput.rounded()))) (first send to last handoff)")
        if let latency = step.webhookToHandoffMs {
            lines.append(
                "  webhook -> handoff:   p50 \(ms(latency.p50))  p90 \(ms(latency.p90))  p99 \(ms(latency.p99))  max \(ms(latency.max))")
        }
        let released = step.released.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append(
            "  offered more than once: \(group(step.duplicates)) conversations; deliveries repeated: \(group(step.redeliveries))"
                + (released.isEmpty ? "" : "; release notices: \(released)"))
        let followUp = step.followUpToDeskMs.map { " (p50 \(ms($0.p50)), p99 \(ms($0.p99)))" } ?? ""
        lines.append(
            "  follow-ups at the desk: \(group(step.followUpsDelivered)) of \(group(step.followUpsSent)) as message deliveries\(followUp)")
        let acceptRefused = step.acceptRefused.sorted { $0.key < $1.key }.map { "\($0.key): \(group($0.value))" }
        lines.append(
            "  accepted by the desk: \(group(step.accepted))"
                + (acceptRefused.isEmpty ? "" : " (refused \(acceptRefused.joined(separator: ", ")))")
                + (step.acceptErrors > 0 ? ", \(step.acceptErrors) without an answer" : ""))
        if step.acceptRefused["404"] != nil {
            lines.append("    (404: no open offer by that id any more: it had lapsed, offer_timeout 30 s, before it reached the desk)")
        }
        lines.append(
            "  engine rebuilds:      \(step.engineRebuilds.map { group(Int($0)) } ?? "not exported (switchboard_engine_rebuilds_total)")"
                + "; offers timed out: \(step.offersTimedOut.map { group(Int($0)) } ?? "none in /metrics")")
        if step.badSignatures + step.unrecognisedDeliveries > 0 {
            lines.append("  desk: \(step.badSignatures) bad signatures, \(step.unrecognisedDeliveries) deliveries not understood")
        }
        if !step.serversEnded.isEmpty {
            lines.append("  SERVERS ENDED DURING THE RUN: \(step.serversEnded.map(String.init).joined(separator: ", "))")
        }
        lines.append(
            "  CPU, first send to end of wait: machine \(Int(step.machineCPUPercent.rounded())) % (100 % a core), "
                + "of which this bench process (sender, desk) \(Int(step.benchCPUPercent.rounded())) %")
        if let ceiling {
            lines.append("  ceiling, GET /health, same run: \(group(Int(ceiling.rounded()))) requests/s")
        }
        lines.append("  sustained (all handed off, p99 < limit): \(step.sustained ? "yes" : "no")")
        if step.generatorBehind {
            lines.append(
                "  WARNING: the load generator fell behind its schedule by more than 5 %: the figures understate the offered load")
        }
        printNow(lines.joined(separator: "\n"))
    }

    /// Prints the JSON of the run, keys sorted.
    static func printJSON(_ result: EndToEndResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        printNow(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    /// Milliseconds with sensible precision.
    static func ms(_ value: Double?) -> String {
        guard let value else { return "?" }
        if value >= 1_000 { return "\(group(Int(value.rounded()))) ms" }
        if value >= 100 { return String(format: "%.0f ms", value) }
        return String(format: "%.1f ms", value)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// 12345 as "12,345".
    static func group(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// Prints a line and flushes it at once, also into a pipe (make, tee): progress is worth seeing as it comes.
func printNow(_ line: String) {
    print(line)
    fflush(nil)
}
