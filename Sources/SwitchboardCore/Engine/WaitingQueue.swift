import Foundation

/// Conversations waiting for an agent, grouped by channel and route, each group ordered highest
/// priority first, then oldest wait first. When an agent frees a slot only the groups of that channel
/// whose route the agent could ever take are walked, and each walk stops at the first conversation
/// the agent can take now.
struct WaitingQueue: Sendable {
    struct GroupKey: Hashable, Sendable {
        var channel: String
        var route: Int
    }

    /// Highest priority first, then the oldest wait, then arrival order.
    struct Position: Comparable, Sendable {
        var priority: Int
        var queuedAt: Double
        var sequence: Int

        static func < (a: Position, b: Position) -> Bool {
            if a.priority != b.priority { return a.priority > b.priority }
            if a.queuedAt != b.queuedAt { return a.queuedAt < b.queuedAt }
            return a.sequence < b.sequence
        }
    }

    struct Member: Sendable {
        var position: Position
        var conversationId: String
    }

    private(set) var groups: [GroupKey: [Member]] = [:]
    private var positions: [String: (GroupKey, Position)] = [:]

    var count: Int { positions.count }

    func contains(_ conversationId: String) -> Bool { positions[conversationId] != nil }

    mutating func insert(_ conversationId: String, group: GroupKey, position: Position) {
        remove(conversationId)
        var members = groups[group, default: []]
        members.insert(Member(position: position, conversationId: conversationId), at: insertionIndex(members, position))
        groups[group] = members
        positions[conversationId] = (group, position)
    }

    mutating func remove(_ conversationId: String) {
        guard let (group, position) = positions.removeValue(forKey: conversationId) else { return }
        var index = insertionIndex(groups[group]!, position)
        while index > 0, groups[group]![index - 1].position == position { index -= 1 }
        while let member = groups[group]?[index], member.conversationId != conversationId { index += 1 }
        groups[group]!.remove(at: index)
        if groups[group]!.isEmpty { groups[group] = nil }
    }

    /// The first index whose member does not come before `position`.
    private func insertionIndex(_ members: [Member], _ position: Position) -> Int {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            if members[middle].position < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first conversation, across the channel's groups, that `accepts` admits, in queue order.
    /// `canServe` skips a whole group (a route whose most relaxed skills the agent lacks).
    func first(
        channel: String, canServe: (Int) -> Bool, accepts: (String) -> Bool
    ) -> (conversationId: String, position: Position)? {
        var best: Member?
        for (key, members) in groups where key.channel == channel && canServe(key.route) {
            for member in members {
                if let current = best, !(member.position < current.position) { break }
                if accepts(member.conversationId) {
                    best = member
                    break
                }
            }
        }
        return best.map { ($0.conversationId, $0.position) }
    }
}
