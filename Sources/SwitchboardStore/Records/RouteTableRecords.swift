import Foundation
import SwitchboardCore

/// One version of the routing table: the files it was made of, who made it and how.
/// Versions are numbered from 1 and never change; a rollback publishes an old version's files as a new one.
public struct RouteVersionRecord: Sendable, Hashable, Codable {
    public var version: Int
    public var files: [RouteFile]
    /// A fingerprint of the files (``RouteFile``s in name order): two versions with one digest are one table.
    public var digest: String
    /// How it came: `file` (the routes directory changed), `publish` (a draft published) or `rollback`.
    public var source: String
    /// Who made it: a token fingerprint (`token:…`) or `file:` and the directory.
    public var actor: String
    public var createdAt: Date
    /// For a rollback, the version whose files it brought back.
    public var restores: Int?

    public init(
        version: Int, files: [RouteFile], digest: String, source: String, actor: String, createdAt: Date,
        restores: Int? = nil
    ) {
        self.version = version
        self.files = files
        self.digest = digest
        self.source = source
        self.actor = actor
        self.createdAt = createdAt
        self.restores = restores
    }
}

/// The one draft of the routing table: the published files with an admin's edits, kept even while
/// invalid so that no edit is lost.
public struct RouteDraftRecord: Sendable, Hashable, Codable {
    public var files: [RouteFile]
    /// The published version the draft was started from: publishing it over a later version is refused.
    public var baseVersion: Int
    public var actor: String
    public var updatedAt: Date

    public init(files: [RouteFile], baseVersion: Int, actor: String, updatedAt: Date) {
        self.files = files
        self.baseVersion = baseVersion
        self.actor = actor
        self.updatedAt = updatedAt
    }
}

/// One change to the routing tables on the record: who, when, what, and the diff.
public struct RouteAuditEntry: Sendable, Hashable, Codable {
    public var id: Int
    public var at: Date
    public var actor: String
    /// `draft` (a draft saved), `publish`, `rollback` or `file` (a change in the routes directory loaded).
    public var action: String
    /// The version published, or for a draft the version it is based on.
    public var version: Int
    /// The version in force before, for a change that published.
    public var previousVersion: Int?
    /// One line saying what happened.
    public var summary: String
    /// A unified diff from the version before (or, for a draft, from its base) to the new files.
    public var diff: String

    public init(
        id: Int, at: Date, actor: String, action: String, version: Int, previousVersion: Int?, summary: String,
        diff: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.version = version
        self.previousVersion = previousVersion
        self.summary = summary
        self.diff = diff
    }

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, version, summary, diff
        case previousVersion = "previous_version"
    }
}

/// A change to publish: the files, how they came, and the audit entry that records it.
public struct RoutePublication: Sendable {
    public var files: [RouteFile]
    public var digest: String
    public var source: String
    public var actor: String
    public var restores: Int?
    /// The version that must be in force for this change to apply (nil: none yet). Another publish in
    /// between makes the store refuse with ``StoreError/routeVersionConflict(expected:published:)``.
    public var expected: Int?
    public var summary: String
    public var diff: String
    /// Whether the draft goes with it (it was the draft that was published).
    public var clearsDraft: Bool

    public init(
        files: [RouteFile], digest: String, source: String, actor: String, restores: Int? = nil, expected: Int?,
        summary: String, diff: String, clearsDraft: Bool = false
    ) {
        self.files = files
        self.digest = digest
        self.source = source
        self.actor = actor
        self.restores = restores
        self.expected = expected
        self.summary = summary
        self.diff = diff
        self.clearsDraft = clearsDraft
    }
}

/// A recent conversation as replay needs it: the customer's latest message and the agent it went to.
public struct RecentConversation: Sendable {
    public var id: String
    public var channel: String
    public var startedAt: Date
    public var message: InboundMessage
    public var agentId: String?
    public var previousAgentId: String?

    public init(
        id: String, channel: String, startedAt: Date, message: InboundMessage, agentId: String?, previousAgentId: String?
    ) {
        self.id = id
        self.channel = channel
        self.startedAt = startedAt
        self.message = message
        self.agentId = agentId
        self.previousAgentId = previousAgentId
    }
}
