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

    mutating func insert(_ conversationId: String, group key: GroupKey, position: Position) {
        remove(conversationId)
        var group = groups[key] ?? Group()
        var band = group.bands[position.priority] ?? []
        if band.isEmpty {
            group.priorities.append(position.priority)
            group.priorities.sort(by: >)
        }
        band.insert(Member(position: position, conversationId: conversationId), at: Self.insertionIndex(band, position))
        group.bands[position.priority] = band
        groups[key] = group
        positions[conversationId] = (key, position)
        channelGroups[key.channel, default: []].insert(key)
    }

    mutating func remove(_ conversationId: String) {
        guard let (key, position) = positions.removeValue(forKey: conversationId), var group = groups[key],
            var band = group.bands[position.priority]
        else { return }
        var index = Self.insertionIndex(band, position)
        while index < band.count, band[index].conversationId != conversationId { index += 1 }
        if index < band.count { band.remove(at: index) }
        if band.isEmpty {
            group.bands[position.priority] = nil
            group.priorities.removeAll { $0 == position.priority }
        } else {
            group.bands[position.priority] = band
        }
        if group.priorities.isEmpty {
            groups[key] = nil
            channelGroups[key.channel]?.remove(key)
        } else {
            groups[key] = group
        }
    }

    /// The first index whose member does not come before `position`.
    private static func insertionIndex(_ band: Deque<Member>, _ position: Position) -> Int {
        if let last = band.last, last.position < position { return band.count }
        var low = 0
        var high = band.count
        while low < high {
            let middle = (low + high) / 2
            if band[middle].position < position { low = middle + 1 } else { high = middle }
        }
        return low
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
