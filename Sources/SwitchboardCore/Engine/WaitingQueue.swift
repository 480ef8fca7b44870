import DequeModule
import Foundation

/// Conversations waiting for an agent, grouped by channel and route, each group ordered highest
/// priority first, then oldest wait first. When an agent frees a slot only the groups of that channel
/// whose route the agent could ever take are walked, and each walk stops at the first conversation
/// the agent can take now.
///
/// Within a group each priority has its own band, oldest first: arrivals join the end of their band
/// and offers take from its front, both without moving the rest.
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

    /// One group: its bands by priority, and the priorities present, highest first.
    struct Group: Sendable {
        var bands: [Int: Deque<Member>] = [:]
        var priorities: [Int] = []
    }

    private var groups: [GroupKey: Group] = [:]
    /// The groups of each channel.
    private var channelGroups: [String: Set<GroupKey>] = [:]
    private var positions: [String: (GroupKey, Position)] = [:]

    var count: Int { positions.count }

    /// The channels with conversations waiting.
    var channels: Dictionary<String, Set<GroupKey>>.Keys { channelGroups.keys }

    func contains(_ conversationId: String) -> Bool { positions[conversationId] != nil }

    /// Whether `a` comes before `b` in the queue's order (highest priority, then oldest); both queued.
    func isBefore(_ a: String, _ b: String) -> Bool {
        guard let first = positions[a]?.1, let second = positions[b]?.1 else { return a < b }
        return first < second
    }

    // Bands are changed in place through the dictionaries' subscripts: taking one out into a variable
    // and putting it back would copy the whole band on every change.

    mutating func insert(_ conversationId: String, group key: GroupKey, position: Position) {
        remove(conversationId)
        let member = Member(position: position, conversationId: conversationId)
        if groups[key] == nil { groups[key] = Group() }
        if groups[key]!.bands[position.priority] == nil {
            groups[key]!.priorities.append(position.priority)
            groups[key]!.priorities.sort(by: >)
        }
        groups[key]!.bands[position.priority, default: []].insertOrdered(member)
        positions[conversationId] = (key, position)
        channelGroups[key.channel, default: []].insert(key)
    }

    mutating func remove(_ conversationId: String) {
        guard let (key, position) = positions.removeValue(forKey: conversationId), groups[key] != nil else { return }
        groups[key]!.bands[position.priority]?.removeMember(conversationId, at: position)
        guard groups[key]!.bands[position.priority]?.isEmpty ?? true else { return }
        groups[key]!.bands[position.priority] = nil
        groups[key]!.priorities.removeAll { $0 == position.priority }
        if groups[key]!.priorities.isEmpty {
            groups[key] = nil
            channelGroups[key.channel]?.remove(key)
        }
    }

    /// The first conversation, across the channel's groups, that `accepts` admits, in queue order.
    /// `canServe` skips a whole group (a route whose most relaxed skills the agent lacks).
    func first(
        channel: String, canServe: (Int) -> Bool, accepts: (String) -> Bool
    ) -> (conversationId: String, position: Position)? {
        var best: Member?
        for key in channelGroups[channel] ?? [] where canServe(key.route) {
            guard let group = groups[key] else { continue }
            search: for priority in group.priorities {
                for member in group.bands[priority] ?? [] {
                    if let current = best, !(member.position < current.position) { break search }
                    if accepts(member.conversationId) {
                        best = member
                        break search
                    }
                }
            }
        }
        return best.map { ($0.conversationId, $0.position) }
    }
}

extension Deque where Element == WaitingQueue.Member {
    /// Inserts in queue order; an arrival that comes last (the usual case) is appended.
    mutating func insertOrdered(_ member: Element) {
        insert(member, at: insertionIndex(member.position))
    }

    mutating func removeMember(_ conversationId: String, at position: WaitingQueue.Position) {
        var index = insertionIndex(position)
        while index < count, self[index].conversationId != conversationId { index += 1 }
        if index < count { remove(at: index) }
    }

    /// The first index whose member does not come before `position`.
    private func insertionIndex(_ position: WaitingQueue.Position) -> Int {
        if let last, last.position < position { return count }
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].position < position { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
