import Foundation
import HeapModule
import SwitchboardCore

/// One policy's day: the event loop and what it records.
struct DayRun {
    private enum Event {
        case arrival(Int)
        /// A promise of an earlier conversation falls due.
        case followUp(of: Int)
        case presence(agent: Int, Presence)
        case done(conversation: Int, agent: Int, Ending)
        case giveUp(Int)
    }

    enum Ending {
        case resolve, pass, unresolvable, close
    }

    private struct Scheduled: Comparable {
        var at: Double
        var order: Int
        var event: Event

        static func < (a: Scheduled, b: Scheduled) -> Bool { (a.at, a.order) < (b.at, b.order) }
        static func == (a: Scheduled, b: Scheduled) -> Bool { (a.at, a.order) == (b.at, b.order) }
    }

    enum Outcome {
        case resolved, abandoned, unresolvable
    }

    struct Live {
        var planned: PlannedConversation
        var arrivedAt: Double
        var followUp: Bool
        var previousAgent: Int?
        var unresolvable: Bool
        /// Some agent online when it arrived could resolve it.
        var withinAuthority: Bool
        var waiting = true
        var reachedAgent = false
        var gaveUp = false
        var heldSince = 0.0
        var transfers = 0
        var resolverReachedAt: Double?
        var outcome: Outcome?
    }

    private let simulator: DaySimulator
    private var policy: any DayPolicy
    private var events = Heap<Scheduled>()
    private var order = 0
    private var now = 0.0
    private(set) var conversations: [Live] = []
    private var online: [Bool]
    private var lastAgentOf: [Int: Int] = [:]
    private var waitingCount = 0
    private var heldSeconds = 0.0
    private var queueSamples: [Int] = []
    private var transfersAt: [Double] = []

    init(_ simulator: DaySimulator, policy: any DayPolicy) {
        self.simulator = simulator
        self.policy = policy
        online = Array(repeating: false, count: simulator.roster.count)
        for (index, planned) in simulator.plan.enumerated() { schedule(planned.at, .arrival(index)) }
        for (agent, member) in simulator.roster.enumerated() {
            let shift = member.shift
            schedule(shift.start, .presence(agent: agent, .online))
            for pause in shift.breaks {
                schedule(pause.at, .presence(agent: agent, .away))
                schedule(pause.at + pause.length, .presence(agent: agent, .online))
            }
            schedule(shift.end, .presence(agent: agent, .offline))
        }
    }

    private mutating func schedule(_ at: Double, _ event: Event) {
        order += 1
        events.insert(Scheduled(at: at, order: order, event: event))
    }

    private func date(_ seconds: Double) -> Date { DaySimulator.midnight.addingTimeInterval(seconds) }

    mutating func simulate() {
        let stop = simulator.scenario.closes + 24 * 3600
        // Timers at or before this time have been run: one the policy keeps anyway is not run again.
        var timersRunUpTo = -Double.infinity
        while true {
            var timer = policy.nextTimer
            var timerAt = timer.map { $0.timeIntervalSince(DaySimulator.midnight) }
            if let due = timerAt, due <= timersRunUpTo { (timer, timerAt) = (nil, nil) }
            guard let next = [events.min?.at, timerAt].compactMap({ $0 }).min(), next <= stop else { break }
            sampleQueue(until: next)
            now = max(now, next)
            if let timer, let timerAt, timerAt <= (events.min?.at ?? .infinity) {
                // The timer's own date: converted to seconds of the day and back, it could come out a hair early.
                take(policy.tick(now: max(timer, date(now))))
                timersRunUpTo = now
                continue
            }
            handle(events.removeMin().event)
        }
    }

    private mutating func sampleQueue(until time: Double) {
        let opens = simulator.scenario.opens
        while opens + Double(queueSamples.count) * DaySimulator.step <= min(time, simulator.scenario.closes) {
            queueSamples.append(waitingCount)
        }
    }

    private mutating func handle(_ event: Event) {
        switch event {
        case .arrival(let index):
            let planned = simulator.plan[index]
            arrive(planned, previousAgent: lastAgentOf[planned.customer], followUp: false)
        case .followUp(let earlier):
            // Switchboard calls the customer back: nobody waits, so nobody gives up.
            var planned = conversations[earlier].planned
            planned.patience = nil
            arrive(planned, previousAgent: lastAgentOf[planned.customer], followUp: true)
        case .presence(let agent, let status):
            online[agent] = status == .online
            take(policy.presence(agent, status, now: date(now)))
        case .giveUp(let conversation):
            guard conversations[conversation].waiting, !conversations[conversation].reachedAgent else { return }
            conversations[conversation].waiting = false
            conversations[conversation].gaveUp = true
            conversations[conversation].outcome = .abandoned
            waitingCount -= 1
        case .done(let conversation, let agent, let ending):
            done(conversation, agent: agent, ending)
        }
    }

    private mutating func arrive(_ planned: PlannedConversation, previousAgent: Int?, followUp: Bool) {
        let capabilities = simulator.capabilities
        let id = conversations.count
        conversations.append(
            Live(
                planned: planned, arrivedAt: now, followUp: followUp, previousAgent: previousAgent,
                unresolvable: !capabilities.anyone(intent: planned.intent, amount: planned.amount),
                withinAuthority: capabilities.anyone(intent: planned.intent, amount: planned.amount, among: online)))
        waitingCount += 1
        if let patience = planned.patience { schedule(now + patience, .giveUp(id)) }
        let message = self.message(planned, conversation: id)
        take(policy.arrive(id, message: message, previousAgent: previousAgent, followUp: followUp, now: date(now)))
    }

    private func message(_ planned: PlannedConversation, conversation: Int) -> InboundMessage {
        let intent = simulator.scenario.intents[planned.intent]
        let amount = planned.amount.map { String(format: "$%.2f", $0) } ?? ""
        var attributes: [String: Value] = [:]
        if let tier = planned.tier { attributes["tier"] = .string(tier) }
        return InboundMessage(
            source: "simulated", conversationId: "c\(conversation)", channel: planned.channel,
            customer: CustomerInfo(externalId: "customer-\(planned.customer)"), messageId: "m\(conversation)",
            text: intent.text.replacingOccurrences(of: "{amount}", with: amount), sentAt: date(now),
            attributes: attributes)
    }

    /// Conversations given to agents: each agent starts on it at once.
    private mutating func take(_ handovers: [Handover]) {
        for handover in handovers { start(handover.conversation, agent: handover.agent) }
    }

    private mutating func start(_ id: Int, agent: Int) {
        var live = conversations[id]
        if live.waiting {
            live.waiting = false
            waitingCount -= 1
        }
        live.heldSince = now
        let intent = simulator.scenario.intents[live.planned.intent]
        let ending: Ending
        var seconds: Double
        if live.gaveUp {
            (ending, seconds) = (.close, 0)
        } else if live.unresolvable {
            (ending, seconds) = (.unresolvable, intent.triage)
        } else if simulator.capabilities.canResolve(agent, intent: live.planned.intent, amount: live.planned.amount) {
            let median = intent.handle[live.planned.channel] ?? intent.handle.values.min() ?? 300
            seconds = median * live.planned.handleFactor * simulator.capabilities.speed(agent, intent: live.planned.intent)
            if live.previousAgent == agent { seconds *= DaySimulator.previousAgentSpeed }
            ending = .resolve
            live.resolverReachedAt = now
        } else {
            (ending, seconds) = (.pass, intent.triage)
        }
        if !live.gaveUp { live.reachedAgent = true }
        conversations[id] = live
        schedule(now + seconds, .done(conversation: id, agent: agent, ending))
    }

    private mutating func done(_ id: Int, agent: Int, _ ending: Ending) {
        let planned = conversations[id].planned
        switch ending {
        case .pass:
            let intent = simulator.scenario.intents[planned.intent]
            guard let handovers = policy.transfer(
                id, from: agent, needs: Capabilities.needs(intent, amount: planned.amount), now: date(now))
            else {
                schedule(now + DaySimulator.transferRetry, .done(conversation: id, agent: agent, .pass))
                return
            }
            heldSeconds += now - conversations[id].heldSince
            conversations[id].transfers += 1
            conversations[id].waiting = true
            waitingCount += 1
            transfersAt.append(now)
            take(handovers)
            return
        case .resolve:
            conversations[id].outcome = .resolved
            lastAgentOf[planned.customer] = agent
            let intent = simulator.scenario.intents[planned.intent]
            if planned.promises, now + intent.promiseAfter < simulator.scenario.closes {
                schedule(now + intent.promiseAfter, .followUp(of: id))
            }
        case .unresolvable:
            conversations[id].outcome = .unresolvable
        case .close:
            break
        }
        heldSeconds += now - conversations[id].heldSince
        take(policy.finish(id, agent: agent, now: date(now)))
    }

    // MARK: the report

    func report(_ kind: PolicyKind, seconds: Double) -> PolicyReport {
        let reached = conversations.filter(\.reachedAgent)
        let resolved = conversations.filter { $0.outcome == .resolved }
        // A promise's follow-up is Switchboard calling the customer back, not a customer waiting: it is left out of the waits.
        let waits = resolved.filter { !$0.followUp }.compactMap { live in live.resolverReachedAt.map { $0 - live.arrivedAt } }
        let slots = simulator.roster.reduce(0.0) { total, member in
            let capacity = member.agent.capacity
            let perAgent = capacity[Agent.totalCapacityKey]
                ?? capacity.filter { $0.key != Agent.totalCapacityKey }.values.reduce(0, +)
            return total + Double(perAgent) * member.shift.onlineSeconds
        }
        func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
        return PolicyReport(
            policy: kind, conversations: conversations.count, followUps: conversations.filter(\.followUp).count,
            resolved: resolved.count, abandoned: conversations.filter { $0.outcome == .abandoned }.count,
            unresolvable: conversations.filter(\.unresolvable).count,
            unfinished: conversations.filter { $0.outcome == nil && !$0.unresolvable }.count,
            transfersPerConversation: reached.isEmpty
                ? 0 : Double(reached.reduce(0) { $0 + $1.transfers }) / Double(reached.count),
            twoOrMoreTransfers: share(reached.filter { $0.transfers >= 2 }.count, of: reached.count),
            transfersWithinAuthority: conversations.filter(\.withinAuthority).reduce(0) { $0 + $1.transfers },
            firstContactResolution: share(resolved.filter { $0.transfers == 0 }.count, of: resolved.count),
            timeToResolver: PolicyReport.Percentiles(waits),
            over20Seconds: share(waits.filter { $0 > 20 }.count, of: waits.count),
            occupancy: slots > 0 ? heldSeconds / slots : 0,
            abandonment: share(conversations.filter { $0.outcome == .abandoned }.count, of: conversations.count),
            timeline: timeline(), seconds: seconds)
    }

    private func timeline() -> [PolicyReport.TimelineStep] {
        let opens = simulator.scenario.opens
        let count = max(1, Int(((simulator.scenario.closes - opens) / DaySimulator.step).rounded(.up)))
        var arrivals = Array(repeating: 0, count: count)
        var waits = Array(repeating: [Double](), count: count)
        var transfers = Array(repeating: 0, count: count)
        func step(_ time: Double) -> Int? {
            let index = Int((time - opens) / DaySimulator.step)
            return index >= 0 && index < count ? index : nil
        }
        for live in conversations {
            guard let index = step(live.arrivedAt) else { continue }
            arrivals[index] += 1
            if live.outcome == .resolved, !live.followUp, let reached = live.resolverReachedAt { waits[index].append(reached - live.arrivedAt) }
        }
        for time in transfersAt { if let index = step(time) { transfers[index] += 1 } }
        return (0..<count).map { index in
            PolicyReport.TimelineStep(
                at: opens + Double(index) * DaySimulator.step, arrivals: arrivals[index],
                timeToResolverP95: waits[index].isEmpty ? nil : PolicyReport.Percentiles(waits[index]).p95,
                queue: index < queueSamples.count ? queueSamples[index] : 0, transfers: transfers[index])
        }
    }
}
