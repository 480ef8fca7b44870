import SwitchboardCore

extension OpenConversation {
    /// A stored open conversation as the engine is rebuilt from it, in every store.
    package init(_ conversation: Conversation, message: InboundMessage, declined: Set<String>, holding: Holding?) {
        self.init(
            conversationId: conversation.id, channel: conversation.channel, message: message,
            queuedAt: conversation.waitingSince ?? conversation.startedAt, previousAgentId: conversation.previousAgentId,
            declined: declined, transfers: conversation.transfers, holding: holding,
            holdForPrevious: conversation.holdForPrevious)
    }
}
