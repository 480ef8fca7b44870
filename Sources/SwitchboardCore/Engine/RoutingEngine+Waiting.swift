import Foundation

/// A conversation waiting for an agent, as the live queue shows it.
public struct WaitingConversation: Sendable, Hashable {
    public var conversationId: String
    /// The route it waits on; nil when no route applies to it.
    public var route: String?
    public var channel: String
    /// Higher goes first.
    public var priority: Int
    /// When it started waiting.
    public var queuedAt: Date
    /// Seconds waited by the time the list was taken.
    public var waited: Double

    public init(conversationId: String, route: String?, channel: String, priority: Int, queuedAt: Date, waited: Double)
    {
        self.conversationId = conversationId
        self.route = route
        self.channel = channel
        self.priority = priority
        self.queuedAt = queuedAt
        self.waited = waited
    }
}

extension RoutingEngine {
    /// Every conversation no agent holds yet (neither offered nor assigned), in the order they would be
    /// offered: highest priority first, then the longest wait, then arrival. Those that no route
    /// applies to are included, with no route.
    public func waitingConversations(now: Date) -> [WaitingConversation] {
        conversations.values
            .filter { $0.holder == nil }
            .sorted { a, b in
                if a.priority != b.priority { return a.priority > b.priority }
                if a.queuedAt != b.queuedAt { return a.queuedAt < b.queuedAt }
                return a.sequence < b.sequence
            }
            .map { state in
                WaitingConversation(
                    conversationId: state.id, route: state.routeName, channel: state.channel, priority: state.priority,
                    queuedAt: state.queuedAt, waited: max(0, now.timeIntervalSince(state.queuedAt)))
            }
    }
}
