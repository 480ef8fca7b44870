import Foundation

/// A desk token created through the admin API, as stored: by its SHA-256, never the token itself.
public struct DeskTokenRecord: Sendable, Equatable {
    /// `dt_` and 16 hex digits: names the token in lists, revocations and audit trails.
    public var id: String
    /// The SHA-256 of the token, in lower-case hex: how a presented token is found.
    public var digest: String
    /// The agents it acts for, sorted.
    public var agents: [String]
    /// What the admin called it (`ana's laptop`).
    public var label: String
    public var createdAt: Date
    /// Who created it: the admin's `token:` fingerprint.
    public var createdBy: String
    /// When it last authenticated a call, to within a minute; nil before its first use.
    public var lastUsedAt: Date?
    /// When it was revoked; nil while it works.
    public var revokedAt: Date?

    public init(
        id: String, digest: String, agents: [String], label: String, createdAt: Date, createdBy: String,
        lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.digest = digest
        self.agents = agents.sorted()
        self.label = label
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// How stale a stored last use may be before a use writes it again: a token used on every call
    /// writes at most once a minute.
    public static let lastUseResolution: TimeInterval = 60
}

/// A change made with a desk token, recorded in the transaction that made it.
public struct DeskAction: Sendable, Equatable {
    /// The order it was recorded in; nil before it is stored.
    public var id: Int64?
    public var at: Date
    /// The token's id: `ana/1` for one from the agents file, `dt_...` for one created through the API.
    public var tokenId: String
    /// The agents the token acts for.
    public var agents: [String]
    /// `accept`, `decline`, `resolve`, `transfer` or `presence`.
    public var action: String
    /// The handoff, conversation or agent it acted on.
    public var subject: String

    public init(id: Int64? = nil, at: Date, tokenId: String, agents: [String], action: String, subject: String) {
        self.id = id
        self.at = at
        self.tokenId = tokenId
        self.agents = agents.sorted()
        self.action = action
        self.subject = subject
    }
}

extension DeskTokenRecord {
    /// A list of agent ids as both stores keep it: a JSON array.
    package static func agentsText(_ agents: [String]) -> String {
        (try? StoreJSON.encode(agents.sorted())).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The list ``agentsText(_:)`` wrote.
    package static func agents(fromText text: String) -> [String] {
        (try? StoreJSON.decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// Whether a use at `now` writes the last use again.
    package func lastUseIsStale(at now: Date) -> Bool {
        lastUsedAt.map { now.timeIntervalSince($0) >= Self.lastUseResolution } ?? true
    }
}
