import Foundation

extension RoutingEngine {
    /// Handles every timer due by `now`: lapsed offers, relax steps, the end of holding for a previous agent.
    public mutating func tick(now: Date) -> [RoutingEffect] {
        var effects: [RoutingEffect] = []
        while let timer = timers.min, timer.at <= now.timeIntervalSince1970 {
            _ = timers.removeMin()
            switch timer.kind {
            case .offerDeadline(let handoffId):
                guard let conversationId = handoffs[handoffId], let holder = conversations[conversationId]?.holder,
                    holder.handoffId == handoffId, !holder.accepted, holder.deadline <= now
                else { continue }
                effects += endOffer(handoffId, reason: .lapsed, now: now)
            case .recheck(let conversationId):
                guard queue.contains(conversationId) else { continue }
                effects += offerOrWait(conversationId, trigger: .requirementsRelaxed, now: now, recordWait: false)
            }
        }
        return effects
    }
}

/// Something the engine must do at a time.
struct EngineTimer: Comparable, Sendable {
    enum Kind: Sendable, Hashable {
        case offerDeadline(String)
        /// A relax step or the end of a hold: offer the waiting conversation again.
        case recheck(String)
    }

    var at: Double
    var kind: Kind

    static func < (a: EngineTimer, b: EngineTimer) -> Bool { a.at < b.at }
    static func == (a: EngineTimer, b: EngineTimer) -> Bool { a.at == b.at && a.kind == b.kind }
}
