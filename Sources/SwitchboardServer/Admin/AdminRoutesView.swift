import Foundation
import SwitchboardConfig
import SwitchboardCore
import SwitchboardStore

/// The routing-table parts of the /admin page, as plain values for the templates.
struct AdminRoutesView {
    var published: PublishedView?
    var draft: DraftView
    var simulate: SimulateView
    var replay: ReplayView
    var versions: [VersionRow]
}

/// One file of a table.
struct FileView {
    var name: String
    var yaml: String
}

/// The table in force.
struct PublishedView {
    var version: Int
    var createdAt: String
    var actor: String
    var source: String
    var restores: Int?
    var files: [FileView]

    init(_ record: RouteVersionRecord) {
        version = record.version
        createdAt = AdminFormat.time(record.createdAt)
        actor = record.actor
        source = record.source
        restores = record.restores
        files = record.files.map { FileView(name: $0.name, yaml: $0.yaml) }
    }
}

/// The draft editor: the file being edited, the draft's state and its problems, each quoted.
struct DraftView {
    /// Whether a draft is saved (otherwise the editor shows the published table).
    var exists: Bool
    var baseVersion: Int?
    var actor: String?
    var updatedAt: String?
    var valid: Bool
    var stale: Bool
    /// `1 problem`, `3 problems`.
    var problemsLabel: String
    var problems: [ProblemView]
    /// The file in the editor, and its YAML.
    var file: String
    var yaml: String
    /// The table's files, to switch the editor between them.
    var files: [FileLink]
    var severalFiles: Bool
    /// The draft against the published table, as a unified diff; nil when they are equal.
    var diff: String?
    var canPublish: Bool

    struct FileLink {
        var name: String
        var query: String
        var current: Bool
    }

    /// A problem as `switchboard routes check` prints it, with the line it points at and a caret under the column.
    struct ProblemView {
        var text: String
        var quote: String?
    }

    /// - Parameters:
    ///   - record: the saved draft with its validation, if there is one.
    ///   - published: the table in force, shown in the editor when there is no draft.
    ///   - file: the file asked for; by default the first.
    init(record: RouteDraftView?, published: RouteVersionRecord?, file: String?) {
        let files = record?.files ?? published?.files ?? []
        exists = record != nil
        baseVersion = record?.baseVersion
        actor = record?.actor
        updatedAt = record.map { AdminFormat.time($0.updatedAt) }
        valid = record?.valid ?? true
        stale = record?.stale ?? false
        problems = (record?.problems ?? []).map { problem in
            let source = files.first { Self.names(problem.file, $0.name) }?.yaml
            return ProblemView(
                text: problem.text, quote: source.flatMap { Self.quote($0, line: problem.line, column: problem.column) }
            )
        }
        problemsLabel = "\(problems.count) problem\(problems.count == 1 ? "" : "s")"
        let current = files.first { $0.name == file } ?? files.first
        self.file = current?.name ?? file ?? "routes.yaml"
        yaml = current?.yaml ?? ""
        self.files = files.map {
            FileLink(name: $0.name, query: Self.query($0.name), current: $0.name == current?.name)
        }
        severalFiles = files.count > 1
        diff = record.map { RouteDiff.unified(from: published?.files ?? [], to: $0.files) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        canPublish = record != nil && valid && !stale
    }

    /// Whether a problem's file (`Routes/support.yaml`) is the table's file `name` (`support.yaml`).
    static func names(_ problemFile: String, _ name: String) -> Bool {
        problemFile == name || problemFile.hasSuffix("/" + name)
    }

    /// The line `line` (1-based) of `text` and a caret under `column`; nil without a position.
    static func quote(_ text: String, line: Int, column: Int) -> String? {
        guard line > 0 else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return nil }
        let quoted = String(lines[line - 1]).replacingOccurrences(of: "\r", with: "")
        guard column > 0 else { return quoted }
        return quoted + "\n" + String(repeating: " ", count: column - 1) + "^"
    }

    /// `?file=support.yaml`, percent-encoded.
    static func query(_ name: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&+=#")
        return "?file=" + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
    }
}

/// The simulate form, and its result once run.
struct SimulateView {
    /// The inbound body in the form.
    var body: String
    var draftChosen: Bool
    var hasDraft: Bool
    var sources: [SourceOption]
    var severalSources: Bool
    var result: SimulationResult?

    struct SourceOption {
        var name: String
        var selected: Bool
    }

    /// A neutral first message in the standard format, to edit.
    static let sampleBody = """
        {
          "conversation_id": "sim-1",
          "channel": "chat",
          "customer": {"id": "u-1", "name": "Ana Ruiz", "email": "ana@example.com"},
          "message": {"id": "m-1", "text": "My parcel is late"},
          "attributes": {"tier": "gold", "language": "en"}
        }
        """
}

/// What a simulation decided, and why.
struct SimulationResult {
    var table: String
    var version: Int
    var conversationId: String
    var channel: String
    var text: String
    var outcome: String
    var offered: Bool
    var route: String?
    var agent: String?
    var rule: String?
    var summary: String
    var why: [String]
    var facts: [Fact]
    var requirements: String
    var relaxed: [String]
    var priority: Int
    var eligible: String
    var excluded: [ExclusionRow]

    struct Fact {
        var name: String
        var value: String
    }

    struct ExclusionRow {
        var agent: String
        var reasons: String
    }

    init(_ simulation: RouteSimulation) {
        let decision = simulation.decision
        table = simulation.table
        version = simulation.version
        conversationId = simulation.message.conversationId
        channel = simulation.message.channel
        text = simulation.message.text
        outcome = decision.outcome.rawValue.replacingOccurrences(of: "_", with: " ")
        offered = decision.outcome == .offered
        route = decision.route
        agent = decision.agent
        rule = decision.rule
        summary = decision.summary
        why = decision.why
        facts = decision.facts.sorted { $0.key < $1.key }.map { Fact(name: $0.key, value: $0.value.description) }
        requirements = Self.describe(decision.requirements)
        relaxed = decision.relaxed
        priority = decision.priority
        eligible = decision.eligible.isEmpty ? "nobody" : decision.eligible.joined(separator: ", ")
        excluded = decision.excluded.map { ExclusionRow(agent: $0.agent, reasons: $0.reasons.joined(separator: "; ")) }
    }

    /// `billing ≥ 3, refund_limit ≥ 300`, `nothing`, or `no route` when none applied.
    static func describe(_ requirements: ResolvedRequirements?) -> String {
        guard let requirements else { return "no route" }
        let skills = requirements.skills.sorted { $0.key < $1.key }.map { "\($0.key) ≥ \($0.value)" }
        let authority = requirements.authority.sorted { $0.key < $1.key }.map { name, grant in
            grant.minimum.map { "\(name) ≥ \(AdminFormat.number($0))" } ?? name
        }
        let all = skills + authority
        return all.isEmpty ? "nothing" : all.joined(separator: ", ")
    }
}

/// The replay form, and its report once run.
struct ReplayView {
    var last: Int
    var hasDraft: Bool
    var result: ReplayResult?
}

/// The recent conversations the draft would route differently.
struct ReplayResult {
    var considered: Int
    var changed: Int
    var publishedVersion: Int
    var draftBaseVersion: Int
    var none: Bool
    var changes: [Change]

    struct Change {
        var conversationId: String
        var startedAt: String
        var text: String
        var before: String
        var after: String
        var why: [String]
    }

    init(_ report: ReplayReport) {
        considered = report.considered
        changed = report.changed
        publishedVersion = report.publishedVersion
        draftBaseVersion = report.draftBaseVersion
        none = report.changes.isEmpty
        changes = report.changes.map { change in
            Change(
                conversationId: change.conversationId, startedAt: AdminFormat.time(change.startedAt), text: change.text,
                before: Self.describe(change.before), after: Self.describe(change.after), why: change.why)
        }
    }

    /// `general → ana`, `refunds, waiting`, `no route`.
    static func describe(_ outcome: ReplayReport.Outcome) -> String {
        guard let route = outcome.route else { return "no route" }
        return outcome.agent.map { "\(route) → \($0)" }
            ?? "\(route), \(outcome.outcome.replacingOccurrences(of: "_", with: " "))"
    }
}

/// One version in the history.
struct VersionRow {
    var version: Int
    var createdAt: String
    var actor: String
    var source: String
    var restores: Int?
    var inForce: Bool
    /// Not in force, but its table is the one in force (rolling back to it would change nothing).
    var sameTable: Bool

    /// - Parameter inForce: the digest of the table in force.
    init(_ view: RouteVersionView, inForce digest: String?) {
        version = view.version
        createdAt = AdminFormat.time(view.createdAt)
        actor = view.actor
        source = view.source
        restores = view.restores
        inForce = view.published
        sameTable = !view.published && view.digest == digest
    }
}
