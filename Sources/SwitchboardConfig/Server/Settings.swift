import Foundation
import NetworkPolicy
import SwitchboardCore

/// The kinds of signed inbound webhook a source can send.
public enum SourceKind: String, Sendable, CaseIterable {
    /// Switchboard's own format, signed with Standard Webhooks.
    case standard
    /// Slack's Events API, signed with the app's signing secret.
    case slack
    /// Zendesk webhooks, signed with the webhook's signing secret.
    case zendesk
    /// Intercom webhooks, signed with the app's client secret.
    case intercom
    /// Twilio Conversations webhooks, signed with the account's auth token over the public URL.
    case twilio
    /// Front application webhooks, signed with the app's secret.
    case front
    /// Help Scout webhooks, signed with the webhook's secret key.
    case helpscout
    /// An inbound-parse JSON post of an email (Postmark's fields), with basic auth or a path token.
    case email
    /// A mailbox Switchboard polls over IMAP (libcurl): `url`, `username`, `password`, `interval`.
    case imap
    /// A Matrix account Switchboard long-polls (`/sync`): `homeserver`, `user`, `access_token` or `password`.
    case matrix

    /// Kinds that Switchboard polls instead of receiving webhooks.
    public var isPolled: Bool { self == .imap || self == .matrix }
}

/// A platform allowed to send conversations: `{name: web, kind: standard, secret: "whsec_..."}`.
public struct SourceSettings: Sendable, Equatable {
    /// The name in the inbound URL; lowercase letters, digits, `_` and `-`, unique.
    public var name: String
    /// The format and signature scheme of its webhooks; `standard` when not given.
    public var kind: SourceKind
    /// The secret its webhooks are signed with: `whsec_...` for `standard`, the platform's signing
    /// secret (or Twilio's auth token) for the others; none for `email`. Can come from
    /// `SWITCHBOARD_SOURCES_<NAME>_SECRET`.
    public var secret: String
    /// The URL the platform posts to, as it sees it (behind a proxy): Twilio signs it. `twilio` only.
    public var publicURL: String?
    /// HTTP basic auth the platform sends (`email`).
    public var username: String?
    public var password: String?
    /// A secret path token: the platform posts to `/v1/inbound/{name}/{token}` (`email`).
    public var token: String?
    /// A platform API token for lookups (`slack`: a bot token with `users:read.email`, so that a
    /// Slack user's email joins them to their other channels). Can come from `SWITCHBOARD_SOURCES_<NAME>_API_TOKEN`.
    public var apiToken: String?
    /// The platform API's base URL, when not the public one (`slack`: `https://slack.com/api`).
    public var apiURL: String?
    /// The mailbox to poll (`imap`): `imaps://mail.example.com/INBOX` (`imap://` for a local server).
    public var url: String?
    /// Seconds between polls (`imap`); `matrix` long-polls instead.
    public var interval: Double = 15
    /// The homeserver's base URL (`matrix`), e.g. `http://127.0.0.1:8008`.
    public var homeserver: String?
    /// The bot's Matrix id (`matrix`), e.g. `@switchboard:localhost`.
    public var user: String?
    /// The bot's access token (`matrix`); a `password` logs in for one instead. Can come from
    /// `SWITCHBOARD_SOURCES_<NAME>_ACCESS_TOKEN`.
    public var accessToken: String?
    /// Whose invitations the bot accepts (`matrix`): user ids (`@carla:example.com`) and room ids
    /// (`!abc:example.com`). An invitation from anyone else, to any other room, is not joined.
    public var joinFrom: [String] = []
    /// Whether an email's `From:` joins a customer only when SPF, DKIM or DMARC verified it (`email`,
    /// `imap`; key `verify_senders`, on by default): off for a platform that verifies upstream.
    public var verifySenders = true
    /// The receiving server's authserv-id (`email`, `imap`; key `authserv_id`): only the
    /// `Authentication-Results` it wrote are read.
    public var authservId: String?
    /// Telling the platform who took each conversation (`write_back`); nil for none.
    public var writeBack: WriteBackSettings?

    /// Creates a source.
    public init(
        name: String, kind: SourceKind = .standard, secret: String, publicURL: String? = nil, username: String? = nil,
        password: String? = nil, token: String? = nil, apiToken: String? = nil, apiURL: String? = nil,
        writeBack: WriteBackSettings? = nil
    ) {
        self.apiToken = apiToken
        self.apiURL = apiURL
        self.name = name
        self.kind = kind
        self.secret = secret
        self.publicURL = publicURL
        self.username = username
        self.password = password
        self.token = token
        self.writeBack = writeBack
    }
}

/// Where the HTTP server listens.
public struct ServerSettings: Sendable, Equatable {
    /// The address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host = "127.0.0.1"
    /// 0 to 65535; 0 picks a free port (for tests).
    public var port = 8080
    /// Seconds a connection may wait for its next request before it is closed (key `idle_timeout_seconds`).
    public var idleTimeoutSeconds = 60.0
    /// Seconds a request's head may take from its first byte (key `head_timeout_seconds`): a client
    /// sending a byte at a time is cut off then.
    public var headTimeoutSeconds = 10.0
    /// Seconds a request's body may take after its head (key `body_timeout_seconds`).
    public var bodyTimeoutSeconds = 60.0
    /// Connections open at once; more wait to be accepted (key `max_connections`). Each may buffer a
    /// body of up to `inbound.max_body_bytes`.
    public var maxConnections = 1_000

    /// Creates server settings; the defaults listen on 127.0.0.1:8080.
    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Where conversations, decisions and deliveries are stored.
public struct StorageSettings: Sendable, Equatable {
    /// The SQLite database file, relative to the working directory: the store unless `postgres` is set.
    public var sqlite = ".switchboard/switchboard.db"
    /// A PostgreSQL URL (`postgres://user:password@host:5432/db`), for several instances sharing one
    /// database; empty for the embedded SQLite store.
    public var postgres = ""

    /// Creates storage settings.
    public init(sqlite: String = ".switchboard/switchboard.db", postgres: String = "") {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// Where the store is, for a log line: the SQLite file, or the PostgreSQL host and database without
    /// the credentials.
    public var summary: String {
        guard !postgres.isEmpty else { return sqlite }
        guard let url = URLComponents(string: postgres), let host = url.host else { return "postgres" }
        return "postgres://\(host)\(url.port.map { ":\($0)" } ?? "")\(url.path)"
    }
}

/// Where Switchboard's own connections (desks, write-backs, Matrix homeservers, IMAP servers) may go.
/// Link-local and cloud metadata addresses never; loopback and private addresses unless `allow_private`
/// is false.
public struct OutboundSettings: Sendable, Equatable {
    /// Whether loopback and private addresses may be reached (key `allow_private`), as self-hosted desks
    /// and mail servers often are.
    public var allowPrivate = true

    public init(allowPrivate: Bool = true) {
        self.allowPrivate = allowPrivate
    }

    /// The policy the outbound client and the checks of configured URLs follow.
    public var policy: OutboundPolicy { OutboundPolicy(allowPrivate: allowPrivate) }
}

/// Failed authentication (bearer tokens, admin sign-in, an email source's basic auth or path token): past
/// `max_failures` in `window_seconds` from one client address, or with one secret's first characters, the
/// next tries answer 429 until the window ends.
public struct AuthSettings: Sendable, Equatable {
    /// Failures allowed per key and window (key `max_failures`).
    public var maxFailures = 20
    /// The window's length (key `window_seconds`).
    public var windowSeconds = 60.0

    public init() {}
}

/// Limits on inbound webhooks.
public struct InboundSettings: Sendable, Equatable {
    /// The largest accepted request body (key `max_body_bytes`).
    public var maxBodyBytes = 1_048_576
    /// How far a webhook's timestamp may be from now (key `tolerance_seconds`).
    public var toleranceSeconds = 300
    /// Days an inbound body is kept once routed (key `retention_days`); its source and id stay for
    /// deduplication, and everything routed from it stays in the store.
    public var retentionDays = 30

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
/// How routing tables read a message.
public struct RoutingSettings: Sendable, Equatable {
    /// How many UTF-8 bytes of a message's text, from its start, facts and `matches` read (key
    /// `match_text_bytes`): a pattern's time is bounded however long the message.
    public var matchTextBytes = SwitchboardCore.Expression.defaultMatchLimit

    public init(matchTextBytes: Int = SwitchboardCore.Expression.defaultMatchLimit) {
        self.matchTextBytes = matchTextBytes
    }
}

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

/// The /admin page's sign-in sessions.
public struct AdminSettings: Sendable, Equatable {
    /// How long a sign-in lasts, in seconds (key `session_seconds`): the cookie's Max-Age, after
    /// which the session is refused and forgotten. Eight hours unless set.
    public var sessionSeconds = 28_800.0
    /// The day's scenario the admin page simulates against the draft or published table (key `scenario`),
    /// relative to the working directory.
    public var scenario = "Config/scenarios/retail-day.yaml"

    /// Creates admin settings.
    public init(sessionSeconds: Double = 28_800, scenario: String = "Config/scenarios/retail-day.yaml") {
        self.sessionSeconds = sessionSeconds
        self.scenario = scenario
    }
}

/// Several instances sharing one PostgreSQL database (`instances: {lease_seconds}`).
public struct InstancesSettings: Sendable, Equatable {
    /// How long an instance's lease on shared work lasts without renewal (a polled source, a delivery or
    /// write-back being sent): how soon another instance takes over the work of one that died. Longer than
    /// one poll (a Matrix long-poll waits 25 s) and one delivery attempt (`delivery.timeout_seconds`).
    public var leaseSeconds: Double = 60

    /// Creates the settings.
    public init(leaseSeconds: Double = 60) {
        self.leaseSeconds = leaseSeconds
    }
}
