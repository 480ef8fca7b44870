/// The kinds of signed inbound webhook a source can send.
public enum SourceKind: String, Sendable, CaseIterable {
    /// Switchboard's own format, signed with Standard Webhooks.
    case standard
}

/// A platform allowed to send conversations: `{name: web, kind: standard, secret: "whsec_..."}`.
public struct SourceSettings: Sendable, Equatable {
    /// The name in the inbound URL; lowercase letters, digits, `_` and `-`, unique.
    public var name: String
    /// The format and signature scheme of its webhooks; `standard` when not given.
    public var kind: SourceKind
    /// The `whsec_` secret its webhooks are signed with; can come from `SWITCHBOARD_SOURCES_<NAME>_SECRET`.
    public var secret: String

    /// Creates a source.
    public init(name: String, kind: SourceKind = .standard, secret: String) {
        self.name = name
        self.kind = kind
        self.secret = secret
    }
}

/// Where the HTTP server listens.
public struct ServerSettings: Sendable, Equatable {
    /// The address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host = "127.0.0.1"
    /// 0 to 65535; 0 picks a free port (for tests).
    public var port = 8080

    /// Creates server settings; the defaults listen on 127.0.0.1:8080.
    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Where conversations, decisions and deliveries are stored.
public struct StorageSettings: Sendable, Equatable {
    /// The SQLite database file, relative to the working directory.
    public var sqlite = ".switchboard/switchboard.db"

    /// Creates storage settings.
    public init(sqlite: String = ".switchboard/switchboard.db") {
        self.sqlite = sqlite
    }
}

/// Limits on inbound webhooks.
public struct InboundSettings: Sendable, Equatable {
    /// The largest accepted request body (key `max_body_bytes`).
    public var maxBodyBytes = 1_048_576
    /// How far a webhook's timestamp may be from now (key `tolerance_seconds`).
    public var toleranceSeconds = 300

    /// Creates inbound settings.
    public init(maxBodyBytes: Int = 1_048_576, toleranceSeconds: Int = 300) {
        self.maxBodyBytes = maxBodyBytes
        self.toleranceSeconds = toleranceSeconds
    }
}

/// How handoffs are delivered to agents' desks.
public struct DeliverySettings: Sendable, Equatable {
    /// How long one attempt may take (key `timeout_seconds`).
    public var timeoutSeconds = 10.0
    /// The wait before the first retry, doubled after each failure (key `initial_backoff_seconds`).
    public var initialBackoffSeconds = 1.0
    /// The longest wait between retries (key `max_backoff_seconds`).
    public var maxBackoffSeconds = 300.0

    /// Creates delivery settings.
    public init(timeoutSeconds: Double = 10.0, initialBackoffSeconds: Double = 1.0, maxBackoffSeconds: Double = 300.0) {
        self.timeoutSeconds = timeoutSeconds
        self.initialBackoffSeconds = initialBackoffSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
    }
}

/// Customer memory: how much history each handoff carries, and how promises are followed up.
public struct MemorySettings: Sendable, Equatable {
    /// Earlier conversations listed in a handoff, newest first (key `history_entries`).
    public var historyEntries = 20
    /// Characters kept of each text in a history entry (key `history_characters`).
    public var historyCharacters = 500
    /// How long a due promise's follow-up waits for the agent who made it, when they are online but
    /// busy, before anyone eligible takes it (key `follow_up_wait_seconds`).
    public var followUpWaitSeconds = 300.0

    public init(historyEntries: Int = 20, historyCharacters: Int = 500, followUpWaitSeconds: Double = 300) {
        self.historyEntries = historyEntries
        self.historyCharacters = historyCharacters
        self.followUpWaitSeconds = followUpWaitSeconds
    }
}
