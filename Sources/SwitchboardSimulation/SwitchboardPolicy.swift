import Foundation
import Synchronization
import SwitchboardCore

/// Switchboard itself: the real ``RoutingEngine`` with the routing table. Each offer is accepted at once; a
/// transfer asks the engine for the best agent with what the work needs, in one hop.
struct SwitchboardPolicy: DayPolicy {
    private var engine: RoutingEngine
    private let agentIndex: [String: Int]
    private let agentIds: [String]
    /// How long a promise's follow-up holds out for the agent who made the promise while they are busy: the
    /// server's default (`memory.follow_up_wait_seconds`).
    static let followUpHold = 300.0

    init(table: RoutingTable, agents: [Agent], now: Date) {
        let ids = HandoffIds()
        engine = RoutingEngine(
            table: table, agents: agents.map { AgentSnapshot(agent: $0) }, now: now, makeId: { ids.next($0) })
        agentIndex = Dictionary(uniqueKeysWithValues: agents.enumerated().map { ($0.element.id, $0.offset) })
        agentIds = agents.map(\.id)
    }

    mutating func arrive(_ conversation: Int, message: InboundMessage, previousAgent: Int?, followUp: Bool, now: Date)
        -> [Handover]
    {
        let input = ConversationMessage(
            conversationId: Self.id(conversation), channel: message.channel, message: message, receivedAt: now,
            isNew: true, previousAgentId: previousAgent.map { engineAgentId($0) }, transfers: 0,
            holdForPrevious: followUp && previousAgent != nil ? Self.followUpHold : nil)
        return handovers(engine.message(input, now: now), now: now)
    }

    mutating func finish(_ conversation: Int, agent: Int, now: Date) -> [Handover] {
        guard let effects = try? engine.resolve(conversationId: Self.id(conversation), now: now) else { return [] }
        return handovers(effects, now: now)
    }

    mutating func transfer(_ conversation: Int, from agent: Int, needs: Requirements, now: Date) -> [Handover]? {
        guard let effects = try? engine.transfer(conversationId: Self.id(conversation), to: .requirements(needs), now: now)
        else { return nil }
        return handovers(effects, now: now)
    }

    mutating func presence(_ agent: Int, _ status: Presence, now: Date) -> [Handover] {
        guard let effects = try? engine.setPresence(agentId: engineAgentId(agent), status: status, now: now) else { return [] }
        return handovers(effects, now: now)
    }

    var nextTimer: Date? { engine.nextTimer }

    mutating func tick(now: Date) -> [Handover] { handovers(engine.tick(now: now), now: now) }

    /// The offers among `effects`, each accepted at once (the agent takes what they are offered).
    private mutating func handovers(_ effects: [RoutingEffect], now: Date) -> [Handover] {
        var result: [Handover] = []
        for effect in effects {
            guard case .offer(let offer) = effect, let agent = agentIndex[offer.agentId],
                let conversation = Int(offer.conversationId.dropFirst())
            else { continue }
            let accepted = (try? engine.accept(handoffId: offer.handoffId, now: now)) ?? []
            result.append(Handover(conversation: conversation, agent: agent))
            result += handovers(accepted, now: now)
        }
        return result
    }

    private func engineAgentId(_ index: Int) -> String { agentIds[index] }

    static func id(_ conversation: Int) -> String { "c\(conversation)" }
}

/// Handoff ids in order (`ho_1`, `ho_2`, …): the simulation does not need random ones, and the same run gives
/// the same ids.
private final class HandoffIds: Sendable {
    private let count = Mutex(0)

    func next(_ prefix: String) -> String {
        let number = count.withLock { value -> Int in
            value += 1
            return value
        }
        return prefix + String(number)
    }
}
