import Foundation

extension RoutingEngine {
    /// The decision the engine would make now for `message` as the first message of a new conversation,
    /// with `table`, on a board of `agents` as they are (presence and load): what an admin sees before a
    /// table goes live. Nothing is changed: the engine is a fresh one, thrown away after.
    /// - Parameter previousAgentId: the customer's previous agent, for `prefer: previous_agent`.
    public static func simulate(
        _ message: InboundMessage, table: RoutingTable, agents: [AgentSnapshot], previousAgentId: String? = nil,
        now: Date
    ) -> Decision {
        var engine = RoutingEngine(table: table, agents: agents, now: now, makeId: { "\($0)simulated" })
        let effects = engine.message(
            ConversationMessage(
                conversationId: "simulated", channel: message.channel, message: message, receivedAt: now, isNew: true,
                previousAgentId: previousAgentId, transfers: 0),
            now: now)
        for effect in effects {
            switch effect {
            case .offer(let offer): return offer.decision
            case .wait(let wait): if let decision = wait.decision { return decision }
            default: continue
            }
        }
        return Decision(at: now, outcome: .waiting, trigger: .newConversation, summary: "It would wait.")
    }
}
