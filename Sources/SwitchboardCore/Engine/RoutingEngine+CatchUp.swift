import Foundation

extension RoutingEngine {
    /// Brings the engine up to date with what other instances changed, as the store has it now, without
    /// rebuilding it: each of `conversations` is forgotten and, when still open, restored from `open` (its
    /// holding, declines and offer deadline as stored); each of `agents` takes its stored definition,
    /// presence, load and last assignment. Every agent whose load a change moved must be among `agents`
    /// (a change's offers and releases name them).
    ///
    /// The engine is then the one a rebuild from the store would make, but for the order among waiting
    /// conversations of equal priority that started waiting at the same instant: a restored one queues
    /// behind the others.
    public mutating func catchUp(
        agents: [AgentSnapshot], conversations ids: Set<String>, open: [OpenConversation], now: Date
    ) {
        for id in ids.sorted() { forget(id) }
        for snapshot in agents { board.replace(snapshot) }
        for conversation in open where ids.contains(conversation.conversationId) { restore(conversation, now: now) }
    }

    /// Drops everything the engine holds about a conversation but the load its holder carries (the caller
    /// restores the agents' loads): its state, its offer, its place in the queue, a hold for its previous agent.
    /// Timers that name it lapse harmlessly: `tick` checks what they name.
    mutating func forget(_ conversationId: String) {
        if let holder = conversations.removeValue(forKey: conversationId)?.holder {
            handoffs[holder.handoffId] = nil
            if var offers = offersByAgent[holder.agent], offers.remove(holder.handoffId) != nil {
                offersByAgent[holder.agent] = offers.isEmpty ? nil : offers
            }
        }
        if queue.contains(conversationId) { queue.remove(conversationId) }
        for (agent, held) in holdingFor where held.contains(conversationId) {
            var held = held
            held.remove(conversationId)
            holdingFor[agent] = held.isEmpty ? nil : held
        }
    }
}
