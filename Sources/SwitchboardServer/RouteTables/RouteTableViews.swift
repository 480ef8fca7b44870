import Foundation
import Hummingbird
import SwitchboardConfig
import SwitchboardCore
import SwitchboardStore

/// A problem of a routing table, located: `text` is the line `switchboard routes check` prints.
struct RouteProblemView: Codable, Sendable, Hashable {
    var file: String
    var line: Int
    var column: Int
    var message: String
    var text: String

    init(_ problem: ConfigProblem) {
        file = problem.file
        line = problem.line
        column = problem.column
        message = problem.message
        text = problem.description
    }
}

/// One version of the table; `files` only when a single version is asked for.
struct RouteVersionView: ResponseCodable, Sendable {
    var version: Int
    var createdAt: Date
    var source: String
    var actor: String
    var restores: Int?
    var digest: String
    var published: Bool
    var files: [RouteFile]?

    init(_ record: RouteVersionRecord, published: Int?, withFiles: Bool = true) {
        version = record.version
        createdAt = record.createdAt
        source = record.source
        actor = record.actor
        restores = record.restores
        digest = record.digest
        self.published = record.version == published
        files = withFiles ? record.files : nil
    }

    enum CodingKeys: String, CodingKey {
        case version, source, actor, restores, digest, published, files
        case createdAt = "created_at"
    }
}

/// `GET /v1/routes/versions`: newest first.
struct RouteVersionsView: ResponseCodable, Sendable {
    var published: Int?
    var versions: [RouteVersionView]
}

/// The draft with its validation.
struct RouteDraftView: ResponseCodable, Sendable {
    var baseVersion: Int
    var publishedVersion: Int?
    var actor: String
    var updatedAt: Date
    var valid: Bool
    /// Whether another version was published after the draft was started: it cannot be published then.
    var stale: Bool
    var problems: [RouteProblemView]
    var files: [RouteFile]

    enum CodingKeys: String, CodingKey {
        case actor, valid, stale, problems, files
        case baseVersion = "base_version"
        case publishedVersion = "published_version"
        case updatedAt = "updated_at"
    }
}

/// `POST /v1/routes/simulate`: the decision the table would make now, with its whole explanation.
struct RouteSimulation: ResponseCodable, Sendable {
    struct Message: Codable, Sendable {
        var source: String
        var conversationId: String
        var channel: String
        var text: String
        var customer: CustomerInfo

        enum CodingKeys: String, CodingKey {
            case source, channel, text, customer
            case conversationId = "conversation_id"
        }
    }

    /// `published` or `draft`.
    var table: String
    /// The published version, or the version the draft is based on.
    var version: Int
    var message: Message
    var decision: Decision
}

/// `POST /v1/routes/draft/replay`: the recent conversations the draft would route differently.
struct ReplayReport: ResponseCodable, Sendable {
    struct Outcome: Codable, Sendable, Hashable {
        var outcome: String
        var route: String?
        var agent: String?
        var requirements: ResolvedRequirements?
        var summary: String
    }

    struct Change: Codable, Sendable {
        var conversationId: String
        var startedAt: Date
        var text: String
        var before: Outcome
        var after: Outcome
        var why: [String]

        enum CodingKeys: String, CodingKey {
            case text, before, after, why
            case conversationId = "conversation_id"
            case startedAt = "started_at"
        }
    }

    var publishedVersion: Int
    var draftBaseVersion: Int
    /// How many conversations were replayed.
    var considered: Int
    var changed: Int
    var changes: [Change]

    enum CodingKeys: String, CodingKey {
        case considered, changed, changes
        case publishedVersion = "published_version"
        case draftBaseVersion = "draft_base_version"
    }
}

/// `GET /v1/audit`: changes to the routing tables, newest first.
struct RouteAuditView: ResponseCodable, Sendable {
    var entries: [RouteAuditEntry]
}
