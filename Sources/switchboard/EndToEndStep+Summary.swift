import Foundation
import SwitchboardBench

extension EndToEndStep {
    /// The figures of the step from what was recorded. `cutoff` is the end of the wait after the last send (at most
    /// `drain` seconds after it): a handoff that arrived later, while the servers were stopping, is not counted as
    /// handed off, only as arriving late: before the servers were told to stop (SIGTERM at `stopping`), or after.
    func summarise(
        record: EndToEndRecord, plan: LoadPlan, outcome: EndToEndLoad.Outcome, cutoff: UInt64, stopping: UInt64, cpu: (CPUTimes, CPUTimes)
    ) -> StepResult {
        let wall = max(0.001, cpu.1.machineTotal - cpu.0.machineTotal) / Double(ProcessInfo.processInfo.activeProcessorCount)
        return record.state.withLock { state in
            var latencies: [Double] = []
            var conversationsSent = 0
            var late = 0
            var lateDuringShutdown = 0
            var duplicates = 0
            var lastHandoff: UInt64 = 0
            for (conversation, webhook) in plan.conversationStarts.enumerated() {
                let sent = state.sentAt[webhook]
                guard sent != 0 else { continue }
                conversationsSent += 1
                let arrived = state.handoffAt[conversation]
                guard arrived != 0 else { continue }
                guard arrived <= cutoff else {
                    if arrived <= stopping { late += 1 } else { lateDuringShutdown += 1 }
                    continue
                }
                latencies.append(Double(Int64(arrived) - Int64(sent)) / 1e6)
                if state.handoffs[conversation] > 1 { duplicates += 1 }
                lastHandoff = max(lastHandoff, arrived)
            }
            var answers: [Double] = []
            answers.reserveCapacity(state.sent)
            for (sent, answered) in zip(state.sentAt, state.answeredAt) where sent != 0 && answered != 0 {
                answers.append(Double(Int64(answered) - Int64(sent)) / 1e6)
            }
            var followUps: [Double] = []
            var followUpsSent = 0
            for (index, webhook) in plan.webhooks.enumerated() where webhook.kind == .followUp {
                let sent = state.sentAt[index]
                guard sent != 0 else { continue }
                followUpsSent += 1
                let arrived = state.messageAt[index]
                if arrived != 0 && arrived <= cutoff { followUps.append(Double(Int64(arrived) - Int64(sent)) / 1e6) }
            }
            let sendSpan = Double(outcome.lastSend - outcome.firstSend) / 1e9
            let plannedSpan = Double(plan.webhooks.last?.offset ?? 0) / 1e9
            let achieved = sendSpan > 0 ? Double(max(0, state.sent - 1)) / sendSpan : 0
            let handoffSpan = Double(lastHandoff > outcome.firstSend ? lastHandoff - outcome.firstSend : 0) / 1e9
            func keyed(_ counts: [Int: Int]) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: counts.map { (String($0.key), $0.value) })
            }
            return StepResult(
                store: store, instances: instances, agents: agents, mix: mix.description, rate: rate,
                webhookRate: plan.webhookRate, durationSeconds: duration, drainSeconds: drain,
                plannedWebhooks: plan.webhooks.count,
                plannedKinds: Dictionary(uniqueKeysWithValues: plan.counts.map { ($0.key.rawValue, $0.value) }),
                sent: state.sent, acknowledged: state.acknowledged, webhookToAnswerMs: LatencySummary(answers), refused: keyed(state.refused),
                transportErrors: state.transportErrors, firstError: state.firstError, achievedSendRate: achieved,
                sendLatenessMs: outcome.lateness,
                generatorBehind: !outcome.stoppedEarly && plannedSpan > 1 && sendSpan > plannedSpan * 1.05,
                stoppedEarly: outcome.stoppedEarly, conversationsSent: conversationsSent, handedOff: latencies.count,
                arrivedAfterTheWait: late, arrivedDuringShutdown: lateDuringShutdown, duplicates: duplicates, redeliveries: state.redeliveries,
                released: state.released, badSignatures: state.badSignatures,
                unrecognisedDeliveries: state.unrecognised, webhookToHandoffMs: LatencySummary(latencies),
                handoffThroughput: handoffSpan > 0 ? Double(latencies.count) / handoffSpan : 0,
                followUpsSent: followUpsSent, followUpsDelivered: followUps.count,
                followUpToDeskMs: LatencySummary(followUps), accepted: state.accepted,
                acceptRefused: keyed(state.acceptRefused), acceptErrors: state.acceptErrors, engineRebuilds: nil,
                offersTimedOut: nil, serversEnded: [], secondsToStopAccepting: 0, secondsToStopServers: 0,
                machineCPUPercent: (cpu.1.machineBusy - cpu.0.machineBusy) / wall * 100,
                benchCPUPercent: (cpu.1.bench - cpu.0.bench) / wall * 100,
                sustained: !outcome.stoppedEarly && criterion.passes(latencies: latencies, total: plan.conversations))
        }
    }
}
