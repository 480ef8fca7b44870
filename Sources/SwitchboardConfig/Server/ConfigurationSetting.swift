/// One single-valued setting: its path in the file (and so its environment variable) and its rule.
///
/// The table ``all`` is the one place listing these keys: the file's accepted keys and the
/// environment overrides both come from it.
struct ConfigurationSetting {
    /// What the value must be, and where it goes.
    enum Kind {
        /// Non-empty text.
        case text(WritableKeyPath<SwitchboardConfiguration, String>)
        /// One of a few words.
        case choice([String], WritableKeyPath<SwitchboardConfiguration, String>)
        /// A whole number within a range.
        case integer(ClosedRange<Int>, WritableKeyPath<SwitchboardConfiguration, Int>)
        /// A number of seconds, more than 0.
        case seconds(WritableKeyPath<SwitchboardConfiguration, Double>)
        /// true or false.
        case flag(WritableKeyPath<SwitchboardConfiguration, Bool>)
    }

    /// `["server", "port"]`, or `["log_level"]` at the top level.
    let path: [String]
    let kind: Kind

    /// `server.port`.
    var name: String { path.joined(separator: ".") }

    /// Every single-valued setting. `sources` and the token lists are lists, read on their own.
    static var all: [ConfigurationSetting] {
        [
            .init(path: ["server", "host"], kind: .text(\.server.host)),
            .init(path: ["server", "port"], kind: .integer(0...65_535, \.server.port)),
            .init(path: ["server", "idle_timeout_seconds"], kind: .seconds(\.server.idleTimeoutSeconds)),
            .init(path: ["server", "head_timeout_seconds"], kind: .seconds(\.server.headTimeoutSeconds)),
            .init(path: ["server", "body_timeout_seconds"], kind: .seconds(\.server.bodyTimeoutSeconds)),
            .init(path: ["server", "max_connections"], kind: .integer(1...1_000_000, \.server.maxConnections)),
            .init(path: ["storage", "sqlite"], kind: .text(\.storage.sqlite)),
            .init(path: ["storage", "postgres"], kind: .text(\.storage.postgres)),
            .init(path: ["routes"], kind: .text(\.routes)),
            .init(path: ["routes_reload_seconds"], kind: .seconds(\.routesReloadSeconds)),
            .init(path: ["agents"], kind: .text(\.agents)),
            .init(path: ["routing", "match_text_bytes"], kind: .integer(1_024...16_777_216, \.routing.matchTextBytes)),
            .init(path: ["inbound", "max_body_bytes"], kind: .integer(1...Int.max, \.inbound.maxBodyBytes)),
            .init(path: ["inbound", "tolerance_seconds"], kind: .integer(1...Int.max, \.inbound.toleranceSeconds)),
            .init(path: ["inbound", "retention_days"], kind: .integer(1...36_500, \.inbound.retentionDays)),
            .init(path: ["delivery", "timeout_seconds"], kind: .seconds(\.delivery.timeoutSeconds)),
            .init(path: ["delivery", "initial_backoff_seconds"], kind: .seconds(\.delivery.initialBackoffSeconds)),
            .init(path: ["delivery", "max_backoff_seconds"], kind: .seconds(\.delivery.maxBackoffSeconds)),
            .init(path: ["memory", "history_entries"], kind: .integer(1...1_000, \.memory.historyEntries)),
            .init(path: ["memory", "history_characters"], kind: .integer(20...100_000, \.memory.historyCharacters)),
            .init(path: ["memory", "follow_up_wait_seconds"], kind: .seconds(\.memory.followUpWaitSeconds)),
            .init(path: ["admin", "session_seconds"], kind: .seconds(\.admin.sessionSeconds)),
            .init(path: ["admin", "scenario"], kind: .text(\.admin.scenario)),
            .init(path: ["instances", "lease_seconds"], kind: .seconds(\.instances.leaseSeconds)),
            .init(path: ["outbound", "allow_private"], kind: .flag(\.outbound.allowPrivate)),
            .init(path: ["auth", "max_failures"], kind: .integer(1...1_000_000, \.auth.maxFailures)),
            .init(path: ["auth", "window_seconds"], kind: .seconds(\.auth.windowSeconds)),
            .init(path: ["log_level"], kind: .choice(SwitchboardConfiguration.logLevels, \.logLevel)),
        ]
    }

    /// The keys of the top level, in the order of the documentation.
    static let topLevelKeys = [
        "server", "storage", "routes", "routes_reload_seconds", "routing", "agents", "admin_tokens", "viewer_tokens", "sources",
        "inbound", "delivery", "memory", "admin", "instances", "outbound", "auth", "log_level",
    ]

    /// The lists of bearer tokens, by key.
    static var tokenLists: [(key: String, path: WritableKeyPath<SwitchboardConfiguration, [String]>)] {
        [
            ("admin_tokens", \.adminTokens), ("viewer_tokens", \.viewerTokens),
        ]
    }

    /// The keys of a `sources` entry.
    static let sourceKeys = [
        "name", "kind", "secret", "public_url", "username", "password", "token", "api_token", "api_url", "write_back",
        "url", "interval", "homeserver", "user", "access_token", "join_from", "verify_senders", "authserv_id",
    ]

    /// The keys of a section such as `server`.
    static func keys(of section: String) -> [String] {
        all.filter { $0.path.count == 2 && $0.path[0] == section }.map { $0.path[1] }
    }

    /// Whether `section` is a mapping of settings (`server`, `storage`, `inbound`, `delivery`).
    static func isSection(_ key: String) -> Bool {
        !keys(of: key).isEmpty
    }

}
