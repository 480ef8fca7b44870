import Foundation
import SwitchboardCore

/// What the /admin page shows, as plain values for its template.
struct AdminPageView {
    let title = "Admin"
    /// Who is signed in.
    var actor: String
    /// The session's CSRF token, for every form's hidden field.
    var csrf: String
    var notice: NoticeView?
    /// The published table, the draft editor, simulate, replay and the version history.
    var routes: AdminRoutesView
    var agents: [AgentRow]
    var deskTokens: DeskTokensView
    var queue: QueueView
    /// When the page was made.
    var generatedAt: String

    struct NoticeView {
        var success: Bool
        var text: String

        init(_ notice: AdminNotice) {
            self.success = notice.kind == .success
            self.text = notice.text
        }
    }
}

/// One agent of the roster: presence, skills and load against capacity per channel.
struct AgentRow {
    var id: String
    var name: String
    var presence: String
    var online: Bool
    var skills: String
    var load: [LoadCell]
    var lastAssigned: String?

    struct LoadCell {
        var channel: String
        var held: Int
        var capacity: Int
        var full: Bool
    }

    init(_ snapshot: AgentSnapshot) {
        let agent = snapshot.agent
        id = agent.id
        name = agent.name
        presence = agent.status.rawValue
        online = agent.status == .online
        skills = agent.skills.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let channels = Set(agent.capacity.keys).union(snapshot.load.keys).subtracting(["total"]).sorted()
        load = channels.map { channel in
            let held = snapshot.load[channel] ?? 0
            let capacity = agent.capacity[channel] ?? 0
            return LoadCell(channel: channel, held: held, capacity: capacity, full: held >= capacity)
        }
        if let total = agent.capacity["total"] {
            load.append(
                LoadCell(channel: "total", held: snapshot.totalLoad, capacity: total, full: snapshot.totalLoad >= total)
            )
        }
        lastAssigned = snapshot.lastAssignedAt.map(AdminFormat.time)
    }
}

/// The live queue: the first conversations in line, and how many there are in all.
struct QueueView {
    var rows: [Row]
    var total: Int
    /// How many are not listed, when the list is cut.
    var more: Int?
    /// Stored, not computed: templates read stored properties only.
    var empty: Bool

    struct Row {
        var id: String
        var route: String
        var channel: String
        var priority: Int
        var waited: String
        var since: String
    }

    /// At most `limit` rows, first in line first.
    init(_ waiting: [WaitingConversation], limit: Int = 200) {
        rows = waiting.prefix(limit).map { conversation in
            Row(
                id: conversation.conversationId, route: conversation.route ?? "no route", channel: conversation.channel,
                priority: conversation.priority, waited: AdminFormat.duration(conversation.waited),
                since: AdminFormat.time(conversation.queuedAt))
        }
        total = waiting.count
        empty = waiting.isEmpty
        more = waiting.count > limit ? waiting.count - limit : nil
    }
}
